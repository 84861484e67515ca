module example.com/vet

go 1.26.0

require github.com/corral-go/corral v0.0.0

replace github.com/corral-go/corral => ../../passes/testdata/src/github.com/corral-go/corral
