package main

import (
	"fmt"
	"html"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// A page of the test site.
type page struct {
	title string
	links []string // as they appear in href attributes
	// latency is how long the server takes to answer.
	latency time.Duration
	// failures is how many of the first requests fail with 503.
	failures int
	// stalls is how many of the first requests get no answer at all: the
	// handler waits until the client gives up.
	stalls int
}

// pages is the site that the program crawls: a handful of linked pages,
// some slow, one flaky, one link to a page that does not exist and one to
// another site.
var pages = map[string]page{
	"/":           {title: "Corral ranch", links: []string{"/about", "blog", "/docs/"}},
	"/about":      {title: "About us", links: []string{"/", "/about/team", "/old-news"}},
	"/about/team": {title: "The team", links: []string{"/about"}},
	"/blog":       {title: "Blog", links: []string{"/blog/1", "/blog/2", "/blog/3"}},
	"/blog/1":     {title: "Hello, corral", links: []string{"/blog", "/docs/guide"}, latency: 40 * time.Millisecond},
	"/blog/2":     {title: "Scopes in depth", links: []string{"/blog", "/docs/api#scope"}, latency: 60 * time.Millisecond},
	"/blog/3":     {title: "Why forks are awaited", links: []string{"/blog"}, latency: 80 * time.Millisecond},
	"/docs/":      {title: "Documentation", links: []string{"guide", "api", "https://go.dev/"}},
	"/docs/guide": {title: "Guide", links: []string{"/docs/", "api"}, latency: 30 * time.Millisecond},
	"/docs/api":   {title: "API reference", links: []string{"/docs/"}, failures: 1},
}

// A site serves pages as HTML, and counts the requests it is working on.
type site struct {
	pages map[string]page

	inFlight, maxInFlight atomic.Int32

	mu   sync.Mutex
	hits map[string]int // requests per path

	// arrived, if not nil, is called with the path of each request as it
	// arrives.
	arrived func(path string)
}

func newSite(pages map[string]page) *site {
	return &site{pages: pages, hits: make(map[string]int)}
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The counter goes down when the handler returns, before net/http
	// finishes the response: the server never counts more requests at once
	// than the client has in flight.
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.maxInFlight.Load(); n > m && !s.maxInFlight.CompareAndSwap(m, n); m = s.maxInFlight.Load() {
	}

	s.mu.Lock()
	s.hits[r.URL.Path]++
	hit := s.hits[r.URL.Path]
	s.mu.Unlock()
	if s.arrived != nil {
		s.arrived(r.URL.Path)
	}

	p, ok := s.pages[r.URL.Path]
	switch {
	case !ok:
		http.NotFound(w, r)
		return
	case hit <= p.stalls:
		<-r.Context().Done()
		return
	case hit <= p.stalls+p.failures:
		http.Error(w, "overloaded, try again", http.StatusServiceUnavailable)
		return
	}
	t := time.NewTimer(p.latency)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return
	}
	fmt.Fprintf(w, "<!DOCTYPE html>\n<title>%s</title>\n<h1>%[1]s</h1>\n", html.EscapeString(p.title))
	for _, l := range p.links {
		fmt.Fprintf(w, "<p><a href=\"%s\">%[1]s</a>\n", html.EscapeString(l))
	}
}

// Hits returns how many requests the site got for path.
func (s *site) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// MaxInFlight returns the largest number of requests the site was working
// on at once.
func (s *site) MaxInFlight() int { return int(s.maxInFlight.Load()) }
