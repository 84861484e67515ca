package channel

// PutBacks returns how many provisional values Selects with Go channel
// clauses have put back so far.
func PutBacks() int64 { return putBacks.Load() }
