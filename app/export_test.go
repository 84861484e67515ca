package app

import "io"

// WithOutput makes Run print its plain text to w instead of standard error.
func WithOutput(w io.Writer) Option {
	return optionFunc(func(c *config) { c.w = w })
}

var OnlyCancellation = onlyCancellation
