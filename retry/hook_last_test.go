package retry_test

import (
	"context"
	"errors"
	"testing"

	"github.com/corral-go/corral/retry"
)

func TestAttemptLast(t *testing.T) {
	var last []bool
	_ = retry.Do(context.Background(), func(context.Context) error { return errors.New("no") },
		retry.WithBackOff(retry.Immediate()), retry.MaxAttempts(3),
		retry.AfterAttempt(func(a retry.Attempt) { last = append(last, a.Last()) }))
	if len(last) != 3 || last[0] || last[1] || !last[2] {
		t.Errorf("Last() per attempt = %v, want [false false true]", last)
	}
}
