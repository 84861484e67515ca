package app_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// programEnv names the program (see programs_test.go) that a test binary
// started by a subprocess test runs instead of the tests.
const programEnv = "CORRAL_APP_TEST_PROGRAM"

func TestMain(m *testing.M) {
	if name := os.Getenv(programEnv); name != "" {
		runProgram(name) // exits
	}
	goleak.VerifyTestMain(m)
}
