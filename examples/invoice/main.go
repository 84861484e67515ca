// Command invoice is the StructuredTaskScope example of Java's structured
// concurrency preview, written with corral: an invoice needs an issuer,
// a customer and a list of items, fetched in parallel from three services.
//
//	Invoice generateInvoice() throws ExecutionException, InterruptedException {
//	    try (var scope = new StructuredTaskScope.ShutdownOnFailure()) {
//	        Supplier<Issuer> issuer = scope.fork(this::findIssuer);
//	        Supplier<Customer> customer = scope.fork(this::findCustomer);
//	        Supplier<List<Item>> items = scope.fork(this::findItems);
//	        scope.join().throwIfFailed();
//	        return new Invoice(issuer.get(), customer.get(), items.get());
//	    }
//	}
//
// The program generates the invoice twice: once with every service answering,
// and once with findCustomer failing, which cancels the other two fetches
// while they are still waiting for their answers.
//
//	go run ./examples/invoice
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/scope"
)

// Issuer, Customer and Item are what the three services return.
type (
	Issuer   struct{ Name string }
	Customer struct{ Name string }
	Item     struct {
		Name  string
		Cents int
	}
)

// An Invoice is built from the results of all three services, or not at all.
type Invoice struct {
	Issuer   Issuer
	Customer Customer
	Items    []Item
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "invoice:", err)
		os.Exit(1)
	}
}

// run generates an invoice with every service working, then one with the
// customer service failing, and writes what happens to w. It returns an
// error only if the program itself went wrong, not for the expected failure
// of the second run.
func run(ctx context.Context, w io.Writer) error {
	log := newLogger(w)

	log.Printf("== every service answers")
	inv, err := generateInvoice(ctx, newServices(log, ""))
	if err != nil {
		return fmt.Errorf("first run: %w", err)
	}
	log.Printf("invoice: %s for %s, %d items, total %s",
		inv.Issuer.Name, inv.Customer.Name, len(inv.Items), total(inv.Items))

	log.Printf("\n== findCustomer fails")
	inv, err = generateInvoice(ctx, newServices(log, "findCustomer"))
	if !errors.Is(err, errNoCustomer) {
		return fmt.Errorf("second run: want errNoCustomer, got invoice %v and error %v", inv, err)
	}
	log.Printf("generateInvoice failed: %v", err)
	return nil
}

// generateInvoice is the Java method above. scope.Run plays the part of
// the try-with-resources block: it does not return before all three forks
// have returned. Each fork.New is a scope.fork, typed by what the service
// returns. Joining a fork that failed returns its error; a failure also
// cancels the scope's context at once, so the other forks stop early, which
// is what ShutdownOnFailure does. (fork.Par would say it in one call, but
// its tasks share one result type; these three return different types.)
func generateInvoice(ctx context.Context, svc *services) (Invoice, error) {
	return scope.Run(ctx, func(s *scope.Scope) (Invoice, error) {
		issuer := fork.New(s, svc.findIssuer)
		customer := fork.New(s, svc.findCustomer)
		items := fork.New(s, svc.findItems)

		i, err := issuer.Join()
		if err != nil {
			return Invoice{}, err
		}
		c, err := customer.Join()
		if err != nil {
			return Invoice{}, err
		}
		it, err := items.Join()
		if err != nil {
			return Invoice{}, err
		}
		return Invoice{Issuer: i, Customer: c, Items: it}, nil
	}, scope.WithName("generateInvoice"))
}

// errNoCustomer is the failure of findCustomer in the second run.
var errNoCustomer = errors.New("customer 42 not found")

// services fakes the three remote services. Each call logs when it is sent
// and how it ends, and takes some time, during which it honours ctx as a
// real client call does.
type services struct {
	log     *logger
	failing string // the call that fails, or ""

	// othersSent lets the failing call wait until the two other calls are
	// on their way, so that the demonstration always shows them cancelled
	// in flight, never before they started.
	othersSent sync.WaitGroup
}

func newServices(log *logger, failing string) *services {
	svc := &services{log: log, failing: failing}
	if failing != "" {
		svc.othersSent.Add(2)
	}
	return svc
}

func (svc *services) findIssuer(ctx context.Context) (Issuer, error) {
	err := svc.call(ctx, "findIssuer", 30*time.Millisecond)
	return Issuer{Name: "Corral Supplies Ltd"}, err
}

func (svc *services) findCustomer(ctx context.Context) (Customer, error) {
	err := svc.call(ctx, "findCustomer", 10*time.Millisecond)
	return Customer{Name: "Ada Lovelace"}, err
}

func (svc *services) findItems(ctx context.Context) ([]Item, error) {
	err := svc.call(ctx, "findItems", 20*time.Millisecond)
	return []Item{{"fence post", 1250}, {"gate hinge", 499}, {"hay bale", 700}}, err
}

// call is a remote call that takes latency to answer. The call named
// svc.failing fails instead, once the other calls have been sent; when
// it fails, the others are still waiting for their answers, so they see
// their context cancelled, with the failure as the cause.
func (svc *services) call(ctx context.Context, name string, latency time.Duration) error {
	svc.log.Printf("%s: request sent", name)
	if name == svc.failing {
		svc.othersSent.Wait()
		svc.log.Printf("%s: failed: %v", name, errNoCustomer)
		return fmt.Errorf("%s: %w", name, errNoCustomer)
	}
	if svc.failing != "" {
		svc.othersSent.Done()
		latency = time.Minute // slow enough that only the cancellation ends it
	}
	t := time.NewTimer(latency)
	defer t.Stop()
	select {
	case <-t.C:
		svc.log.Printf("%s: answered", name)
		return nil
	case <-ctx.Done():
		svc.log.Printf("%s: cancelled (cause: %v)", name, context.Cause(ctx))
		return ctx.Err()
	}
}

// total formats the sum of the items' prices.
func total(items []Item) string {
	cents := 0
	for _, it := range items {
		cents += it.Cents
	}
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// A logger writes lines to w from any goroutine, one whole line at a time.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func newLogger(w io.Writer) *logger { return &logger{w: w} }

func (l *logger) Printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format+"\n", args...)
}
