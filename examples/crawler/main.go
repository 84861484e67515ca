// Command crawler crawls a small web site with a bounded number of requests
// in flight, retrying the requests that fail for a while and giving each
// attempt a time limit.
//
// The site is served by the program itself, on loopback: a handful of
// linked pages, some slow, one that fails its first request, a broken link
// and a link to another site, which is not followed. The crawl goes breadth
// first: every page of one depth is fetched with fork.Map, at most limit at
// once, before the links they hold are followed. Each fetch is a retry.Value
// loop whose attempts have a deadline of their own (retry.AttemptTimeout).
//
//	go run ./examples/crawler
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/corral-go/corral/fork"
	"github.com/corral-go/corral/retry"
	"github.com/corral-go/corral/timeout"
)

func main() {
	if err := run(context.Background(), os.Stdout, 3); err != nil {
		fmt.Fprintln(os.Stderr, "crawler:", err)
		os.Exit(1)
	}
}

// run serves the test site, crawls it with at most limit requests in flight
// and writes what it found to w.
func run(ctx context.Context, w io.Writer, limit int) error {
	s := newSite(pages)
	srv := httptest.NewServer(s)
	defer srv.Close()

	c := newCrawler(srv.Client(), limit)
	c.log = w
	fmt.Fprintf(w, "crawling the test site, at most %d requests in flight\n", limit)
	res, err := c.crawl(ctx, srv.URL+"/")
	if err != nil {
		return err
	}
	res.print(w)
	fmt.Fprintf(w, "the server saw at most %d requests at once\n", s.MaxInFlight())
	return nil
}

// A crawler fetches the pages of one site.
type crawler struct {
	client *http.Client
	limit  int // requests in flight at most

	attempts     int           // per page, the first included
	attemptLimit time.Duration // time limit of one attempt
	backoff      time.Duration // wait between attempts

	log io.Writer // where the crawl's progress goes, if not nil
}

func newCrawler(client *http.Client, limit int) *crawler {
	return &crawler{
		client:       client,
		limit:        limit,
		attempts:     3,
		attemptLimit: time.Second,
		backoff:      10 * time.Millisecond,
	}
}

// A fetched page.
type fetched struct {
	Path     string
	Depth    int    // links from the start page
	From     string // the first page found linking here
	Title    string
	Links    []string // paths on the same site, sorted, without repeats
	External []string // links to other sites
	Attempts int
	Err      error // the last attempt's failure, if every attempt failed
}

// A crawlResult holds every page reached, in the order of the crawl: by
// depth, then by path.
type crawlResult struct {
	Pages    []fetched
	External []string // links to other sites, sorted, not followed
}

// crawl fetches the page at start and every page of the same site that it
// leads to. A page that cannot be fetched is reported in its fetched.Err and
// does not stop the crawl; crawl fails only if ctx ends.
func (c *crawler) crawl(ctx context.Context, start string) (crawlResult, error) {
	root, err := url.Parse(start)
	if err != nil {
		return crawlResult{}, err
	}
	var res crawlResult
	seen := map[string]bool{root.Path: true}
	external := map[string]bool{}
	level := []fetched{{Path: root.Path}}
	for depth := 0; len(level) > 0; depth++ {
		if c.log != nil {
			paths := make([]string, len(level))
			for i, f := range level {
				paths[i] = f.Path
			}
			fmt.Fprintf(c.log, "depth %d: %s\n", depth, strings.Join(paths, " "))
		}
		// The pages of a level are fetched in parallel, limit at a time;
		// a level starts once the one before it has been fetched, so the
		// crawl's order is the same on every run.
		got, err := fork.Map(ctx, c.limit, level, func(ctx context.Context, f fetched) (fetched, error) {
			f.Depth = depth
			return c.fetch(ctx, root, f)
		})
		if err != nil {
			return res, err
		}
		var next []fetched
		for _, f := range got {
			res.Pages = append(res.Pages, f)
			for _, l := range f.External {
				external[l] = true
			}
			for _, p := range f.Links {
				if !seen[p] {
					seen[p] = true
					next = append(next, fetched{Path: p, From: f.Path})
				}
			}
		}
		slices.SortFunc(next, func(a, b fetched) int { return strings.Compare(a.Path, b.Path) })
		level = next
	}
	for l := range external {
		res.External = append(res.External, l)
	}
	slices.Sort(res.External)
	return res, nil
}

// fetch gets the page f.Path of the site at root, retrying on server errors
// and timeouts, and fills in what it found.
func (c *crawler) fetch(ctx context.Context, root *url.URL, f fetched) (fetched, error) {
	u := root.ResolveReference(&url.URL{Path: f.Path})
	body, err := retry.Value(ctx, func(ctx context.Context) (string, error) {
		f.Attempts++
		return c.get(ctx, u.String())
	},
		retry.MaxAttempts(c.attempts),
		retry.AttemptTimeout(c.attemptLimit),
		retry.WithBackOff(retry.Fixed(c.backoff)),
		retry.If(retryable),
	)
	if ctx.Err() != nil {
		return f, ctx.Err() // the crawl was cancelled: stop it
	}
	if err != nil {
		f.Err = err
		return f, nil // a page that failed is a result, not a reason to stop
	}
	f.Title = title(body)
	for _, href := range hrefs(body) {
		l, err := u.Parse(href) // relative to the page
		if err != nil {
			continue
		}
		if l.Host == root.Host {
			f.Links = append(f.Links, l.Path) // without the #fragment
		} else {
			f.External = append(f.External, l.String())
		}
	}
	slices.Sort(f.Links)
	f.Links = slices.Compact(f.Links)
	return f, nil
}

// get makes one GET request and returns the body of a 200 response.
func (c *crawler) get(ctx context.Context, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", context.Cause(ctx) // timeout.ErrTimeout for an attempt that took too long
		}
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", statusError(resp.StatusCode)
	}
	return string(body), nil
}

// retryable reports whether a failed attempt is worth another: a server
// error, a timeout or a network error may pass, a 404 will not.
func retryable(err error) bool {
	var se statusError
	if errors.As(err, &se) {
		return se >= 500
	}
	return true
}

// statusError is an HTTP status other than 200 OK.
type statusError int

func (e statusError) Error() string {
	return fmt.Sprintf("%d %s", int(e), http.StatusText(int(e)))
}

var (
	titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)
	hrefRE  = regexp.MustCompile(`href="([^"]*)"`)
)

// title returns the title of an HTML page. A regular expression is enough for
// the test site's pages; a real crawler parses HTML.
func title(body string) string {
	if m := titleRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// hrefs returns the targets of the links of an HTML page.
func hrefs(body string) []string {
	var hs []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		hs = append(hs, m[1])
	}
	return hs
}

// print writes the pages found, the broken links and the links to other
// sites to w.
func (r crawlResult) print(w io.Writer) {
	var found, broken []fetched
	for _, f := range r.Pages {
		if f.Err != nil {
			broken = append(broken, f)
		} else {
			found = append(found, f)
		}
	}
	fmt.Fprintf(w, "found %d pages:\n", len(found))
	for _, f := range found {
		note := ""
		if f.Attempts > 1 {
			note = " (" + attempts(f.Attempts) + ")"
		}
		fmt.Fprintf(w, "  %-12s %q%s\n", f.Path, f.Title, note)
	}
	fmt.Fprintf(w, "broken links: %d\n", len(broken))
	for _, f := range broken {
		reason := f.Err.Error()
		var se statusError
		switch {
		case errors.As(f.Err, &se):
			reason = se.Error()
		case errors.Is(f.Err, timeout.ErrTimeout):
			reason = "timed out"
		}
		from := f.From
		if from == "" {
			from = "the start"
		}
		fmt.Fprintf(w, "  %-12s %s after %s, linked from %s\n", f.Path, reason, attempts(f.Attempts), from)
	}
	fmt.Fprintf(w, "not followed (other sites): %s\n", strings.Join(r.External, " "))
}

func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
