//go:build !unix

package app

import "syscall"

func uncatchable(sig syscall.Signal) bool { return sig == syscall.SIGKILL }
