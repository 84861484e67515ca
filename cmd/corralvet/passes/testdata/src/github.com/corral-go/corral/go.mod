module github.com/corral-go/corral

go 1.26.0
