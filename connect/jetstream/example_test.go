package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	cjs "github.com/corral-go/corral/connect/jetstream"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/source"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// exampleServer starts an embedded nats-server with JetStream in memory and
// returns a JetStream client and a function that closes both.
func exampleServer() (natsjs.JetStream, func()) {
	srv, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: "", NoLog: true, NoSigs: true, JetStreamMaxStore: -1,
	})
	if err != nil {
		panic(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		panic("nats-server did not start")
	}
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		panic(err)
	}
	js, err := natsjs.New(nc)
	if err != nil {
		panic(err)
	}
	return js, func() {
		nc.Close()
		srv.Shutdown()
		srv.WaitForShutdown()
	}
}

// This example demonstrates an at-least-once pipeline: messages from a
// durable consumer are processed four at a time, and each is acked once its
// work is done, in the order of the consumer.
func Example() {
	js, closeAll := exampleServer()
	defer closeAll()
	ctx := context.Background()
	st, _ := js.CreateStream(ctx, natsjs.StreamConfig{
		Name: "ORDERS", Subjects: []string{"orders.>"}, Storage: natsjs.MemoryStorage,
	})
	for _, fruit := range []string{"apple", "pear", "plum"} {
		_, _ = js.Publish(ctx, "orders.new", []byte(fruit))
	}
	orders, _ := st.CreateOrUpdateConsumer(ctx, natsjs.ConsumerConfig{
		Durable: "packers", AckPolicy: natsjs.AckExplicitPolicy,
	})

	pack := func(ctx context.Context, m *cjs.Msg) (string, error) {
		return "packed " + strings.ToUpper(string(m.Data())), nil
	}
	msgs := cjs.FromConsumer(js, orders)
	packed := cjs.Settle(source.MapPar(msgs, 4, cjs.Process(pack)), cjs.NewAcker())
	err := packed.Take(3).RunForEach(ctx, func(s string) error {
		fmt.Println(s)
		return nil
	})
	fmt.Println(err)
	// Output:
	// packed APPLE
	// packed PEAR
	// packed PLUM
	// <nil>
}

// This example demonstrates the Acker's policy for a message whose work
// keeps failing: nak'd with a delay twice, then copied to a dead-letter
// stream and terminated on its third delivery.
func ExampleDeadLetter() {
	js, closeAll := exampleServer()
	defer closeAll()
	ctx := context.Background()
	st, _ := js.CreateStream(ctx, natsjs.StreamConfig{
		Name: "ORDERS", Subjects: []string{"orders.>"}, Storage: natsjs.MemoryStorage,
	})
	dead, _ := js.CreateStream(ctx, natsjs.StreamConfig{
		Name: "DEAD", Subjects: []string{"dead.>"}, Storage: natsjs.MemoryStorage,
	})
	_, _ = js.Publish(ctx, "orders.new", []byte("durian"))
	orders, _ := st.CreateOrUpdateConsumer(ctx, natsjs.ConsumerConfig{
		Durable: "packers", AckPolicy: natsjs.AckExplicitPolicy,
	})

	acker := cjs.NewAcker(
		cjs.MaxDeliveries(3),
		cjs.RetryDelays(retry.Fixed(10*time.Millisecond)),
		cjs.DeadLetter(js, "dead.orders"),
	)
	errSmell := errors.New("smells too strong to pack")
	err := cjs.FromConsumer(js, orders).Take(3).RunForEach(ctx, func(m *cjs.Msg) error {
		fmt.Println("delivery", m.Delivered(), "of", string(m.Data()))
		return acker.Settle(ctx, m, errSmell)
	})
	fmt.Println(err)
	dl, _ := dead.GetLastMsgForSubject(ctx, "dead.orders")
	fmt.Println("dead letter:", string(dl.Data), "after", dl.Header.Get(cjs.HeaderDeadDeliveries),
		"deliveries:", dl.Header.Get(cjs.HeaderDeadError))
	// Output:
	// delivery 1 of durian
	// delivery 2 of durian
	// delivery 3 of durian
	// <nil>
	// dead letter: durian after 3 deliveries: smells too strong to pack
}

// This example demonstrates Publish with message IDs: each value is sent
// twice, and the stream stores it once.
func ExampleRunPublish() {
	js, closeAll := exampleServer()
	defer closeAll()
	ctx := context.Background()
	st, _ := js.CreateStream(ctx, natsjs.StreamConfig{
		Name: "RESULTS", Subjects: []string{"results.>"}, Storage: natsjs.MemoryStorage,
	})

	results := source.Of("a", "b", "c", "a", "b", "c")
	err := cjs.RunPublish(ctx, results, js, func(s string) (cjs.Outgoing, error) {
		return cjs.Outgoing{Subject: "results." + s, Data: []byte(s), ID: "result-" + s}, nil
	}, cjs.MaxInFlight(4))
	info, _ := st.Info(ctx)
	fmt.Println(err, info.State.Msgs)
	// Output:
	// <nil> 3
}
