package main

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// mainEnv makes the test binary run main instead of the tests, so that a
// test can send the real program a real signal (see drain_test.go).
const mainEnv = "WSECHO_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) != "" {
		main()
		return
	}
	goleak.VerifyTestMain(m)
}
