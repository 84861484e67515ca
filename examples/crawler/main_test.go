package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corral-go/corral/timeout"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// crawlSite serves pages and crawls them with a crawler configured by
// setup, if not nil.
func crawlSite(ctx context.Context, t *testing.T, pages map[string]page, limit int, setup func(*crawler, *site)) (crawlResult, *site, error) {
	t.Helper()
	s := newSite(pages)
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newCrawler(srv.Client(), limit)
	if setup != nil {
		setup(c, s)
	}
	res, err := c.crawl(ctx, srv.URL+"/")
	return res, s, err
}

func byPath(res crawlResult) map[string]fetched {
	m := make(map[string]fetched)
	for _, f := range res.Pages {
		m[f.Path] = f
	}
	return m
}

// TestCrawlFindsEveryPage crawls the program's site and checks that every
// page was found, fetched once (the flaky one twice), in the order of the
// crawl, and that the broken and external links are reported.
func TestCrawlFindsEveryPage(t *testing.T) {
	res, s, err := crawlSite(context.Background(), t, pages, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := byPath(res)
	want := slices.Sorted(maps.Keys(pages))
	want = append(want, "/old-news")
	slices.Sort(want)
	if paths := slices.Sorted(maps.Keys(got)); !slices.Equal(paths, want) {
		t.Fatalf("pages reached: %v, want %v", paths, want)
	}
	for path, p := range pages {
		f := got[path]
		if f.Err != nil || f.Title != p.title {
			t.Errorf("%s: title %q, error %v; want %q and no error", path, f.Title, f.Err, p.title)
		}
		wantHits := 1 + p.failures
		if f.Attempts != wantHits || s.Hits(path) != wantHits {
			t.Errorf("%s: %d attempts, %d requests on the server; want %d", path, f.Attempts, s.Hits(path), wantHits)
		}
	}

	// The flaky page failed once and was retried.
	if api := got["/docs/api"]; api.Attempts != 2 || s.Hits("/docs/api") != 2 {
		t.Errorf("/docs/api: %d attempts, %d requests; want 2 of each", api.Attempts, s.Hits("/docs/api"))
	}
	// A 404 is not worth retrying.
	old := got["/old-news"]
	var se statusError
	if !errors.As(old.Err, &se) || se != 404 || old.Attempts != 1 || s.Hits("/old-news") != 1 || old.From != "/about" {
		t.Errorf("/old-news: %+v with %d requests; want one 404 linked from /about", old, s.Hits("/old-news"))
	}
	if !slices.Equal(res.External, []string{"https://go.dev/"}) {
		t.Errorf("external links %v, want [https://go.dev/]", res.External)
	}

	// Breadth first, then by path.
	var order []string
	for _, f := range res.Pages {
		order = append(order, fmt.Sprint(f.Depth, f.Path))
	}
	wantOrder := []string{"0/", "1/about", "1/blog", "1/docs/",
		"2/about/team", "2/blog/1", "2/blog/2", "2/blog/3", "2/docs/api", "2/docs/guide", "2/old-news"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("crawl order %v, want %v", order, wantOrder)
	}
}

// TestAtMostLimitInFlight counts, on the server, the requests it is working
// on at once: never more than the crawler's limit.
func TestAtMostLimitInFlight(t *testing.T) {
	for _, limit := range []int{1, 2, 4} {
		t.Run(fmt.Sprint("limit=", limit), func(t *testing.T) {
			res, s, err := crawlSite(context.Background(), t, pages, limit, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Pages) != len(pages)+1 {
				t.Errorf("reached %d pages, want %d", len(res.Pages), len(pages)+1)
			}
			if m := s.MaxInFlight(); m < 1 || m > limit {
				t.Errorf("the server saw %d requests at once, want 1 to %d", m, limit)
			}
		})
	}
}

// TestStalledAttemptTimesOut serves a page whose first request gets no
// answer: its attempt times out, the second attempt gets the page. A page
// that never answers is reported as timed out after every attempt.
func TestStalledAttemptTimesOut(t *testing.T) {
	pages := map[string]page{
		"/":      {title: "start", links: []string{"/slow", "/dead"}},
		"/slow":  {title: "slow", stalls: 1},
		"/dead":  {title: "dead", stalls: 100},
		"/other": {title: "not linked"},
	}
	res, s, err := crawlSite(context.Background(), t, pages, 2, func(c *crawler, _ *site) {
		c.attemptLimit = 50 * time.Millisecond
	})
	if err != nil {
		t.Fatal(err)
	}
	got := byPath(res)
	if f := got["/slow"]; f.Err != nil || f.Title != "slow" || f.Attempts != 2 || s.Hits("/slow") != 2 {
		t.Errorf("/slow: %+v, %d requests; want it fetched on the 2nd attempt", f, s.Hits("/slow"))
	}
	if f := got["/dead"]; !errors.Is(f.Err, timeout.ErrTimeout) || f.Attempts != 3 || s.Hits("/dead") != 3 {
		t.Errorf("/dead: %+v, %d requests; want a timeout after 3 attempts", f, s.Hits("/dead"))
	}
	if _, ok := got["/other"]; ok {
		t.Errorf("reached /other, which no page links to")
	}
}

// TestCancelStopsTheCrawl cancels the crawl while a request is stalled:
// crawl returns the cancellation, and no further page is requested.
func TestCancelStopsTheCrawl(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pages := map[string]page{
		"/":       {title: "start", links: []string{"/first", "/second"}},
		"/first":  {title: "stuck", links: []string{"/never"}, stalls: 1},
		"/second": {title: "next", links: []string{"/never"}},
		"/never":  {title: "never"},
	}
	_, s, err := crawlSite(ctx, t, pages, 1, func(c *crawler, s *site) {
		c.attemptLimit = time.Minute
		s.arrived = func(path string) {
			if path == "/first" {
				cancel() // while the request is on its way
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("crawl returned %v, want context.Canceled", err)
	}
	if s.Hits("/first") != 1 || s.Hits("/second") != 0 || s.Hits("/never") != 0 {
		t.Errorf("requests: /first %d, /second %d, /never %d; want 1, 0, 0",
			s.Hits("/first"), s.Hits("/second"), s.Hits("/never"))
	}
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, 3); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"crawling the test site, at most 3 requests in flight\n",
		"depth 0: /\n",
		"depth 1: /about /blog /docs/\n",
		"depth 2: /about/team /blog/1 /blog/2 /blog/3 /docs/api /docs/guide /old-news\n",
		"found 10 pages:\n",
		`  /docs/api    "API reference" (2 attempts)` + "\n",
		"broken links: 1\n  /old-news    404 Not Found after 1 attempt, linked from /about\n",
		"not followed (other sites): https://go.dev/\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out.String())
	}
}
