package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/bench"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// TestViewerServed checks how the viewer's files are served: the page at / with its
// Content-Security-Policy, every file it references with a content type the browser
// accepts under nosniff, gzip for clients that take it, revalidation by ETag, and a
// problem for a file that does not exist. (The browser test shows that the page works.)
func TestViewerServed(t *testing.T) {
	t.Parallel()
	c := newClient(t, openStore(t, store.SQLite), false)
	page := c.get("/")
	if page.Status != 200 || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", page.Status, page.Header.Get("Content-Type"))
	}
	if csp := page.Header.Get("Content-Security-Policy"); csp != api.ViewerCSP || !strings.Contains(csp, "default-src 'self'") ||
		strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q", csp)
	}
	if !strings.Contains(string(page.Body), "/swagger/index.html") {
		t.Error("the page does not link to the API documentation")
	}
	// No inline script or style: the CSP would refuse them.
	for _, re := range []string{`<script(?:\s[^>]*)?>\s*[^<\s]`, `<style`, `\sstyle=`, `\son[a-z]+=`} {
		if regexp.MustCompile(re).Match(page.Body) {
			t.Errorf("index.html has inline code or style (%s)", re)
		}
	}
	tljs := c.get("/timelinejs.html")
	if tljs.Status != 200 || tljs.Header.Get("Content-Security-Policy") != api.ViewerCSP {
		t.Errorf("GET /timelinejs.html: %d, CSP %q", tljs.Status, tljs.Header.Get("Content-Security-Policy"))
	}
	refs := regexp.MustCompile(`(?:src|href)="(/[^"]*)"`)
	wantType := map[string]string{".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".html": "text/html"}
	seen := 0
	for _, doc := range [][]byte{page.Body, tljs.Body} {
		for _, m := range refs.FindAllSubmatch(doc, -1) {
			ref := string(m[1])
			if ref == "/" || strings.HasPrefix(ref, "/swagger/") {
				continue
			}
			seen++
			r := c.get(ref)
			if r.Status != 200 || len(r.Body) == 0 {
				t.Errorf("GET %s: %d", ref, r.Status)
				continue
			}
			if want := wantType[filepath.Ext(ref)]; !strings.HasPrefix(r.Header.Get("Content-Type"), want) {
				t.Errorf("GET %s: Content-Type %q, want %s", ref, r.Header.Get("Content-Type"), want)
			}
			if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("ETag") == "" {
				t.Errorf("GET %s: headers %v", ref, r.Header)
			}
		}
	}
	if seen < 4 {
		t.Errorf("the pages reference %d files; want the bundles, stylesheets and TimelineJS", seen)
	}

	// gzip on request, the same bytes once inflated; 304 for the ETag held.
	plain := c.get("/assets/index.js")
	req, _ := http.NewRequest("GET", c.srv.URL+"/assets/index.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: %v", res.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	inflated, _ := io.ReadAll(zr)
	if !bytes.Equal(inflated, plain.Body) || len(zipped) >= len(plain.Body) {
		t.Errorf("gzip: %d bytes inflate to %d, want the %d plain ones", len(zipped), len(inflated), len(plain.Body))
	}
	if r := c.do("GET", "/assets/index.js", nil, "If-None-Match", plain.Header.Get("ETag")); r.Status != 304 {
		t.Errorf("If-None-Match: %d, want 304", r.Status)
	}
	if r := c.do("HEAD", "/", nil); r.Status != 200 || len(r.Body) != 0 {
		t.Errorf("HEAD /: %d, %d bytes", r.Status, len(r.Body))
	}
	c.get("/assets/no-such-file.js").problem(t, 404)
	c.get("/timelinejs/../index.html").problem(t, 404)
	if r := c.get("/swagger/index.html"); r.Status != 200 {
		t.Errorf("Swagger UI: %d", r.Status)
	}
}

// viewerTools finds chromium, node and web/ with its packages installed (npm ci), and
// says what is missing otherwise; under -short, outside CI, it skips the test.
func viewerTools(t *testing.T) (chromium, node, webDir string) {
	t.Helper()
	if testing.Short() && !browserInCI() {
		t.Skip("-short: a browser takes seconds to start (CI runs it)")
	}
	chromium, node, _, missing := browserTools(t)
	missing = slices.DeleteFunc(missing, func(s string) bool { return strings.HasPrefix(s, "webtest/") })
	webDir, err := filepath.Abs(filepath.Join("..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"node_modules/playwright-core/package.json", "node_modules/axe-core/axe.min.js"} {
		if _, err := os.Stat(filepath.Join(webDir, f)); err != nil {
			missing = append(missing, "web/"+f+" (cd web && npm ci)")
		}
	}
	requireTools(t, "the viewer's browser test", missing)
	return chromium, node, webDir
}

// viewerArtifacts is where the browser tests leave their screenshots and downloads for
// people to look at: $PARLEY_ARTIFACTS/name (.ci/run sets it) or the system's temp
// directory, emptied first.
func viewerArtifacts(t *testing.T, name string) string {
	t.Helper()
	root := os.Getenv("PARLEY_ARTIFACTS")
	if root == "" {
		root = filepath.Join(os.TempDir(), "parley-artifacts")
	}
	dir := filepath.Join(root, name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots and downloads: %s", dir)
	return dir
}

// runViewerScript runs a script of web/e2e on a spec and decodes its JSON report into out.
func runViewerScript(t *testing.T, node, webDir, chromium, script string, spec, out any, timeout time.Duration) {
	t.Helper()
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	specPath := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(specPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("e2e", script), specPath)
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\nstderr: %s\nstdout: %.2000s", script, err, stderr.String(), stdout.String())
	}
	t.Logf("%s took %s", script, time.Since(start).Round(time.Millisecond))
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("%s output: %v\n%.2000s\nstderr: %s", script, err, stdout.String(), stderr.String())
	}
}

// The report of web/e2e/viewer.mjs.
type (
	viewerView struct {
		Search     string   `json:"search"`
		Types      []string `json:"types"`
		Statuses   []string `json:"statuses"`
		Chips      []string `json:"chips"`
		Lanes      string   `json:"lanes"`
		List       []string `json:"list"`
		Current    string   `json:"current"`
		Items      []string `json:"items"`
		LaneLabels []string `json:"laneLabels"`
		Detail     string   `json:"detail"`
		Summary    string   `json:"summary"`
	}
	viewerDetail struct {
		Title        string              `json:"title"`
		HumanDate    string              `json:"humanDate"`
		EDTF         string              `json:"edtf"`
		Place        string              `json:"place"`
		Participants []viewerParticipant `json:"participants"`
		Statements   []viewerStatement   `json:"statements"`
		Sources      []struct {
			Label, Href, Cites, Evidence, Events string
		} `json:"sources"`
		Rounds  []string `json:"rounds"`
		Parent  string   `json:"parent"`
		Related []string `json:"related"`
		Markers int      `json:"markers"`
	}
	viewerParticipant struct {
		Name, Href, Role, Represents string
	}
	viewerStatement struct {
		Text        string `json:"text"`
		Quote       bool   `json:"quote"`
		Speaker     string `json:"speaker"`
		Attribution string `json:"attribution"`
		Medium      string `json:"medium"`
	}
	viewerBox struct {
		ClassName string  `json:"className"`
		Border    string  `json:"border"`
		Content   string  `json:"content"`
		Left      float64 `json:"left"`
		Right     float64 `json:"right"`
	}
	viewerReport struct {
		BrowserVersion string                     `json:"browserVersion"`
		Scenarios      map[string]json.RawMessage `json:"scenarios"`
		ConsoleErrors  []string                   `json:"consoleErrors"`
		PageErrors     []string                   `json:"pageErrors"`
		Blocked        []string                   `json:"blocked"`
		BadResponses   []string                   `json:"badResponses"`
		Axe            []struct {
			Name       string `json:"name"`
			Violations []struct {
				ID, Impact, Help string
				Nodes            []string
			} `json:"violations"`
		} `json:"axe"`
		Screenshots map[string]string `json:"screenshots"`
	}
)

// scenario decodes one scenario's report, failing the test when the scenario failed.
func (r *viewerReport) scenario(t *testing.T, name string, v any) bool {
	t.Helper()
	raw, ok := r.Scenarios[name]
	if !ok {
		t.Errorf("scenario %s did not run", name)
		return false
	}
	var failed struct{ Error string }
	if json.Unmarshal(raw, &failed) == nil && failed.Error != "" {
		t.Errorf("scenario %s: %s", name, failed.Error)
		return false
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Errorf("scenario %s: %v", name, err)
		return false
	}
	return true
}

// titlesOf is the titles of the events a /timeline query answers, as a sorted set.
func titlesOf(t *testing.T, c *client, query string) []string {
	t.Helper()
	var list handlers.List[models.Event]
	c.get("/api/v1/timeline?"+query).want(t, 200, &list)
	out := make([]string, len(list.Items))
	for i, e := range list.Items {
		out[i] = e.Title
	}
	return slices.Sorted(slices.Values(out))
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// filterOf is a page URL's query without the time window: the view's filters and choice.
func filterOf(search string) string {
	q, _ := url.ParseQuery(strings.TrimPrefix(search, "?"))
	q.Del("win")
	return q.Encode()
}

// TestViewerBrowser is the end-to-end test of the timeline viewer: parley on SQLite with
// the built-in dataset, the page in Debian's Chromium driven by web/e2e/viewer.mjs as a
// person would use it. What the page shows is checked against the API's own answers:
// filtering by Zelensky finds the Davos meeting; the Abu Dhabi talks show their
// participants, the quote about Donbas with its speaker, their sources and rounds, and
// a map; the Kremlin aide's own view leads to the Anchorage summit, drawn over its whole
// month in the approximate style; a shared URL restores the same view; Back and Forward
// walk the history; every download parses; TimelineJS draws every event; the keyboard
// moves between events; a phone's width has no sideways scrolling. No console error,
// no CSP violation, no request leaving the machine, and axe-core finds nothing serious.
func TestViewerBrowser(t *testing.T) {
	t.Parallel()
	chromium, node, webDir := viewerTools(t)
	c := newClient(t, openStore(t, store.SQLite), true)
	dir := viewerArtifacts(t, "viewer")
	var rep viewerReport
	runViewerScript(t, node, webDir, chromium, "viewer.mjs", map[string]string{"base": c.srv.URL, "out": dir}, &rep, 5*time.Minute)
	t.Logf("Chromium %s", rep.BrowserVersion)

	for _, e := range rep.ConsoleErrors {
		t.Errorf("console error: %s", e)
	}
	for _, e := range rep.PageErrors {
		t.Errorf("page error: %s", e)
	}
	for _, u := range rep.Blocked {
		t.Errorf("a request left for another origin: %s", u)
	}
	for _, r := range rep.BadResponses {
		t.Errorf("failed request: %s", r)
	}
	if len(rep.Axe) < 4 {
		t.Errorf("axe-core ran on %d pages, want 4", len(rep.Axe))
	}
	for _, a := range rep.Axe {
		for _, v := range a.Violations {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("axe-core, %s: %s (%s) %s at %v", a.Name, v.ID, v.Impact, v.Help, v.Nodes)
			} else {
				t.Logf("axe-core, %s: %s (%s) %s at %v", a.Name, v.ID, v.Impact, v.Help, v.Nodes)
			}
		}
	}
	for _, name := range []string{"viewer-desktop", "viewer-desktop-actor", "viewer-phone", "viewer-phone-actor", "timelinejs"} {
		p := rep.Screenshots[name]
		if st, err := os.Stat(p); err != nil || st.Size() < 10_000 {
			t.Errorf("screenshot %s: %q %v", name, p, err)
		} else {
			t.Logf("screenshot %s: %s", name, p)
		}
	}
	all := titlesOf(t, c, "")

	t.Run("filter by a participant", func(t *testing.T) {
		var s struct {
			Before, After viewerView
			Options       []string
			Expanded      string
		}
		if !rep.scenario(t, "filter-participant", &s) {
			return
		}
		if !slices.Equal(sorted(s.Before.List), all) {
			t.Errorf("before: the list %v, want every event %v", s.Before.List, all)
		}
		if !slices.Contains(s.Options, "Volodymyr Zelensky") || s.Expanded != "true" {
			t.Errorf("typing zel offers %v (aria-expanded %q)", s.Options, s.Expanded)
		}
		want := titlesOf(t, c, "actor=volodymyr-zelensky")
		if filterOf(s.After.Search) != "actor=volodymyr-zelensky" || !slices.Equal(s.After.Chips, []string{"Volodymyr Zelensky"}) {
			t.Errorf("after picking: URL %q, chips %v", s.After.Search, s.After.Chips)
		}
		if !slices.Equal(sorted(s.After.List), want) || !slices.Equal(sorted(s.After.Items), want) || !slices.Contains(want, "Zelensky meets Trump in Davos") {
			t.Errorf("after picking Zelensky: list %v, timeline %v; want %v (with the Davos meeting)", s.After.List, s.After.Items, want)
		}
	})

	t.Run("the Abu Dhabi talks", func(t *testing.T) {
		var s struct {
			Styles struct {
				Month, Approximate, Day viewerBox
				Axis                    struct{ Aug, Sep float64 }
			}
			Detail   viewerDetail
			View     viewerView
			BySource viewerView
		}
		if !rep.scenario(t, "abu-dhabi", &s) {
			return
		}
		// A month-precision event covers its month, dashed; an approximate one says c.
		m := s.Styles
		if m.Month.Border != "dashed" || !strings.Contains(m.Month.ClassName, "parley-precision-month") ||
			abs(m.Month.Left-m.Axis.Aug) > 2 || abs(m.Month.Right-m.Axis.Sep) > 2 {
			t.Errorf("the Anchorage summit (2025-08) is drawn %+v, want dashed from the Aug tick to the Sep tick %+v", m.Month, m.Axis)
		}
		if m.Approximate.Border != "dashed" || !strings.HasPrefix(m.Approximate.Content, "c. ") {
			t.Errorf("the approximate Moscow meeting is drawn %+v, want dashed and c.", m.Approximate)
		}
		if m.Day.Border != "solid" {
			t.Errorf("the Davos meeting (a known day) is drawn %+v, want solid", m.Day)
		}

		var ev models.Event
		c.get("/api/v1/events/abu-dhabi-trilateral-talks?include=participants,location,sources").want(t, 200, &ev)
		d := s.Detail
		if d.Title != ev.Title || d.EDTF != ev.Date.EDTF || d.HumanDate != "23 January 2026" || !strings.HasPrefix(d.Place, "Abu Dhabi") {
			t.Errorf("detail: %q %q %q %q", d.Title, d.EDTF, d.HumanDate, d.Place)
		}
		if s.View.Current != ev.Title || !strings.Contains(s.View.Search, "event=abu-dhabi-trilateral-talks") {
			t.Errorf("the chosen event: list marks %q, URL %q", s.View.Current, s.View.Search)
		}
		if len(d.Participants) != len(ev.Participants) {
			t.Fatalf("participants %+v, want %d", d.Participants, len(ev.Participants))
		}
		for i, p := range ev.Participants {
			got := d.Participants[i]
			if got.Name != p.ActorData.Name || got.Role != string(p.Role) || !strings.Contains(got.Href, "who="+p.ActorData.Slug) {
				t.Errorf("participant %d: %+v, want %s (%s)", i, got, p.ActorData.Name, p.Role)
			}
		}
		var sts handlers.List[models.Statement]
		c.get("/api/v1/statements?event=abu-dhabi-trilateral-talks&include=speaker").want(t, 200, &sts)
		if len(d.Statements) != len(sts.Items) {
			t.Errorf("%d statements shown, want %d", len(d.Statements), len(sts.Items))
		}
		donbas := false
		for _, st := range sts.Items {
			i := slices.IndexFunc(d.Statements, func(x viewerStatement) bool { return strings.Trim(x.Text, "“”") == st.Text })
			if i < 0 {
				t.Errorf("statement %q is not shown", st.Text)
				continue
			}
			got := d.Statements[i]
			if got.Quote != st.Quote || got.Speaker != st.SpeakerData.Name || got.Medium != st.Medium {
				t.Errorf("statement %q: %+v, want quote %v by %s, %s", st.Text, got, st.Quote, st.SpeakerData.Name, st.Medium)
			}
			if strings.Contains(st.Text, "Donbas") && st.Quote && got.Speaker == "Volodymyr Zelensky" {
				donbas = true
			}
		}
		if !donbas {
			t.Error("the quote about Donbas with its speaker is not shown")
		}
		if len(d.Sources) != len(ev.SourcesData) {
			t.Fatalf("sources %+v, want %d", d.Sources, len(ev.SourcesData))
		}
		for i, src := range ev.SourcesData {
			got := d.Sources[i]
			if !strings.HasPrefix(got.Label, src.Outlet) || !strings.Contains(got.Events, "source="+src.Slug) {
				t.Errorf("source %d: %+v, want %s linking to its events", i, got, src.Outlet)
			}
			if src.Title != "" && !strings.Contains(got.Label, src.Title) {
				t.Errorf("source %d: %q, want its title %q", i, got.Label, src.Title)
			}
		}
		if !strings.Contains(d.Sources[0].Cites, "Donbas") {
			t.Errorf("Meduza cites %q, want the statements it supports", d.Sources[0].Cites)
		}
		// What the source supports of the event, with its span (issue 14: claims with evidence).
		if !strings.Contains(d.Sources[0].Evidence, "Supports date, status") || !strings.Contains(d.Sources[0].Evidence, "held joint peace talks") {
			t.Errorf("Meduza's evidence for the talks is shown as %q", d.Sources[0].Evidence)
		}
		var rel struct {
			Children []models.Event `json:"children"`
		}
		c.get("/api/v1/events/abu-dhabi-trilateral-talks/related").want(t, 200, &rel)
		var rounds []string
		for _, e := range rel.Children {
			rounds = append(rounds, e.Title)
		}
		if !slices.Equal(d.Rounds, rounds) || len(rounds) != 2 {
			t.Errorf("rounds %v, want %v", d.Rounds, rounds)
		}
		// The talks follow the Moscow meeting (the Anchorage reference is the Moscow meeting's:
		// seed/AUDIT.md).
		if !slices.ContainsFunc(d.Related, func(s string) bool { return strings.Contains(s, "follows Putin meets Witkoff and Kushner in Moscow") }) {
			t.Errorf("related %v, want the Moscow meeting it follows", d.Related)
		}
		var fc struct{ Features []json.RawMessage }
		c.get("/api/v1/export?format=geojson&location=abu-dhabi&from="+url.QueryEscape(ev.Date.EDTF)+"&to="+url.QueryEscape(ev.Date.EDTF)).want(t, 200, &fc)
		if d.Markers != len(fc.Features) || d.Markers == 0 {
			t.Errorf("the map has %d markers, want the GeoJSON export's %d", d.Markers, len(fc.Features))
		}
		meduza := ev.SourcesData[0].Slug
		if filterOf(s.BySource.Search) != "source="+meduza || !slices.Equal(sorted(s.BySource.List), titlesOf(t, c, "source="+meduza)) {
			t.Errorf("the source's link: URL %q, list %v", s.BySource.Search, s.BySource.List)
		}
	})

	t.Run("the Kremlin aide leads to Anchorage", func(t *testing.T) {
		var s struct {
			Moscow    viewerDetail
			Anchorage viewerDetail
			Actor     struct {
				Search         string
				Hidden         bool
				TimelineHidden bool
				Name, Facts    string
				Counts         []string
				Statements     []string
				Mentions       []string
				Lanes          []string
				Items          []string
			}
			Selected *viewerBox
			Search   string
		}
		if !rep.scenario(t, "kremlin-aide", &s) {
			return
		}
		if s.Moscow.HumanDate != "c. 22–23 January 2026" || s.Moscow.EDTF != "2026-01-22~/2026-01-23~" {
			t.Errorf("the Moscow meeting's date: %q %q", s.Moscow.HumanDate, s.Moscow.EDTF)
		}
		if !slices.ContainsFunc(s.Moscow.Participants, func(p viewerParticipant) bool {
			return p.Name == "Steve Witkoff" && p.Role == "envoy" && p.Represents == "United States"
		}) {
			t.Errorf("the Moscow meeting's participants %+v, want Witkoff, envoy, representing the United States", s.Moscow.Participants)
		}
		a := s.Actor
		var sts handlers.List[models.Statement]
		c.get("/api/v1/actors/yuri-ushakov/statements").want(t, 200, &sts)
		if filterOf(a.Search) != "who=yuri-ushakov" || a.Hidden || !a.TimelineHidden || a.Name != "Yuri Ushakov" ||
			!strings.Contains(a.Facts, "Kremlin foreign policy aide") || len(a.Statements) != len(sts.Items) {
			t.Errorf("Ushakov's view: %+v (want his %d statements)", a, len(sts.Items))
		}
		if !slices.Contains(a.Mentions, "Putin–Trump summit in Alaska") || !slices.Contains(a.Items, "Putin–Trump summit in Alaska") {
			t.Errorf("Ushakov's view does not lead to Anchorage: mentions %v, timeline %v", a.Mentions, a.Items)
		}
		if !slices.Equal(a.Lanes, []string{"spoke about", "mentioned in"}) {
			t.Errorf("Ushakov's lanes %v", a.Lanes)
		}
		if s.Anchorage.Title != "Putin–Trump summit in Alaska" || s.Anchorage.HumanDate != "August 2025" || s.Anchorage.EDTF != "2025-08" ||
			!strings.Contains(s.Search, "event=putin-trump-anchorage-summit") {
			t.Errorf("Anchorage: %q %q %q at %q", s.Anchorage.Title, s.Anchorage.HumanDate, s.Anchorage.EDTF, s.Search)
		}
		if s.Selected == nil || s.Selected.Content != "Putin–Trump summit in Alaska" || !strings.Contains(s.Selected.ClassName, "parley-precision-month") {
			t.Errorf("the actor's timeline marks %+v, want the Anchorage summit at month precision", s.Selected)
		}
	})

	t.Run("a shared URL restores the view", func(t *testing.T) {
		var s struct {
			URL                       string
			First, Second             viewerView
			FirstDetail, SecondDetail viewerDetail
		}
		if !rep.scenario(t, "shared-url", &s) {
			return
		}
		if filterOf(s.First.Search) != "event=abu-dhabi-trilateral-talks-day-1&lanes=type&status=held" {
			t.Errorf("the URL holds %q", s.First.Search)
		}
		held := titlesOf(t, c, "status=held")
		if !slices.Equal(sorted(s.First.List), held) || s.First.Detail != "Abu Dhabi trilateral peace talks, day 1" || len(s.First.LaneLabels) < 2 {
			t.Errorf("the view made: %+v; want the held events %v in lanes by type", s.First, held)
		}
		f, g := s.First, s.Second
		if filterOf(f.Search) != filterOf(g.Search) || !slices.Equal(f.Statuses, g.Statuses) || f.Lanes != g.Lanes ||
			!slices.Equal(f.List, g.List) || f.Current != g.Current || f.Detail != g.Detail ||
			!slices.Equal(sorted(f.Items), sorted(g.Items)) || !slices.Equal(sorted(f.LaneLabels), sorted(g.LaneLabels)) {
			t.Errorf("opened from its URL the view differs:\n made: %+v\nshared: %+v", f, g)
		}
		if fd, sd := s.FirstDetail, s.SecondDetail; fd.Title != sd.Title || len(fd.Participants) != len(sd.Participants) || len(fd.Statements) != len(sd.Statements) {
			t.Errorf("details differ: %+v / %+v", fd, sd)
		}
	})

	t.Run("back and forward", func(t *testing.T) {
		var s struct{ Steps []viewerView }
		if !rep.scenario(t, "history", &s) {
			return
		}
		if len(s.Steps) != 7 {
			t.Fatalf("%d steps", len(s.Steps))
		}
		same := func(a, b viewerView) bool {
			return filterOf(a.Search) == filterOf(b.Search) && slices.Equal(a.Types, b.Types) && slices.Equal(a.List, b.List) && a.Detail == b.Detail && a.Current == b.Current
		}
		st := s.Steps
		meetings := titlesOf(t, c, "type=meeting")
		if len(st[0].Types) != 0 || !slices.Equal(sorted(st[0].List), all) || !slices.Equal(st[1].Types, []string{"meeting"}) ||
			!slices.Equal(sorted(st[1].List), meetings) || st[2].Detail == "" || st[1].Detail != "" {
			t.Fatalf("the steps taken: %+v", st[:3])
		}
		for i, want := range []int{1, 0, 1, 2} {
			if !same(st[3+i], st[want]) {
				t.Errorf("after %s: %+v, want the view of step %d: %+v", []string{"back", "back", "forward", "forward"}[i], st[3+i], want, st[want])
			}
		}
	})

	t.Run("the keyboard", func(t *testing.T) {
		var s struct {
			Titles  []string
			Focused string
			Closed  string
		}
		if !rep.scenario(t, "keyboard", &s) {
			return
		}
		var list handlers.List[models.Event]
		c.get("/api/v1/timeline").want(t, 200, &list)
		// → from nothing chosen picks the first event in time; → the next; ← back.
		if len(s.Titles) != 3 || s.Titles[0] != list.Items[0].Title || s.Titles[1] == s.Titles[0] || s.Titles[2] != s.Titles[0] || s.Focused != "timeline" {
			t.Errorf("→ → ←: %q (focus on %q); want %q first", s.Titles, s.Focused, list.Items[0].Title)
		}
		if s.Closed != "" {
			t.Errorf("Escape left %q open", s.Closed)
		}
	})

	t.Run("downloads", func(t *testing.T) {
		var s struct {
			Files map[string]struct{ File, Suggested string }
			View  viewerView
		}
		if !rep.scenario(t, "export", &s) {
			return
		}
		var list handlers.List[models.Event]
		c.get("/api/v1/timeline?type=negotiation&format=parley").want(t, 200, &list)
		n := len(list.Items)
		participants, statements := 0, 0
		for _, e := range list.Items {
			participants += len(e.Participants)
			statements += len(e.StatementsData)
		}
		read := func(format string) []byte {
			f, ok := s.Files[format]
			if !ok {
				t.Errorf("no %s download", format)
				return nil
			}
			b, err := os.ReadFile(f.File)
			if err != nil {
				t.Error(err)
			}
			return b
		}
		rows := func(format string) int {
			recs, err := csv.NewReader(bytes.NewReader(read(format))).ReadAll()
			if err != nil {
				t.Errorf("%s: %v", format, err)
			}
			return len(recs) - 1
		}
		var events []models.Event
		if err := json.Unmarshal(read("json"), &events); err != nil || len(events) != n {
			t.Errorf("JSON: %d events (%v), want %d", len(events), err, n)
		}
		if got := rows("csv-events"); got != n {
			t.Errorf("CSV events: %d rows, want %d", got, n)
		}
		if got := rows("csv-participants"); got != participants {
			t.Errorf("CSV participants: %d rows, want %d", got, participants)
		}
		if got := rows("csv-statements"); got != statements {
			t.Errorf("CSV statements: %d rows, want %d", got, statements)
		}
		// The long table of claims: one row per claim a source supports, every event of the
		// built-in dataset citing its span.
		claims := 0
		for _, e := range list.Items {
			for _, ev := range e.Evidence {
				claims += len(ev.Supports)
			}
		}
		if got := rows("claims"); got < claims || claims < n {
			t.Errorf("CSV claims: %d rows, want at least the events' %d claims (of %d events)", got, claims, n)
		}
		var fc struct {
			Type     string
			Features []json.RawMessage
		}
		if err := json.Unmarshal(read("geojson"), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != n {
			t.Errorf("GeoJSON: %s with %d features (%v), want %d", fc.Type, len(fc.Features), err, n)
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(read("ics")))
		if err != nil || len(cal.Events()) != n {
			t.Errorf("iCalendar: %v, want %d events", err, n)
		}
		var tl formats.TimelineJSDoc
		if err := models.UnmarshalStrict(read("timelinejs"), &tl); err != nil || len(tl.Events) != n {
			t.Errorf("TimelineJS: %d events (%v), want %d", len(tl.Events), err, n)
		}
		for format, f := range s.Files {
			if !strings.HasPrefix(f.Suggested, "parley-") {
				t.Errorf("%s: saved as %q", format, f.Suggested)
			}
		}
	})

	t.Run("TimelineJS", func(t *testing.T) {
		var s struct {
			URL       string
			Markers   []string
			Headlines []string
		}
		if !rep.scenario(t, "timelinejs", &s) {
			return
		}
		var list handlers.List[models.Event]
		c.get("/api/v1/timeline").want(t, 200, &list)
		var slugs []string
		for _, e := range list.Items {
			slugs = append(slugs, e.Slug)
			if !slices.Contains(s.Headlines, e.Title) {
				t.Errorf("TimelineJS has no slide for %q", e.Title)
			}
		}
		if !slices.Equal(sorted(s.Markers), sorted(slugs)) || !strings.HasPrefix(s.URL, "/timelinejs.html") {
			t.Errorf("TimelineJS at %q drew markers %v, want every event %v", s.URL, s.Markers, slugs)
		}
	})

	t.Run("a phone", func(t *testing.T) {
		var s struct {
			Layout struct {
				ScrollWidth, ClientWidth int
				FiltersOpen, DetailBelow bool
			}
			ActorLayout struct{ ScrollWidth, ClientWidth int }
			Detail      viewerDetail
		}
		if !rep.scenario(t, "phone", &s) {
			return
		}
		if l := s.Layout; l.ScrollWidth > l.ClientWidth || l.FiltersOpen || !l.DetailBelow {
			t.Errorf("at 390 px: %+v; want no sideways scrolling, the filters folded, the details under the timeline", l)
		}
		if l := s.ActorLayout; l.ScrollWidth > l.ClientWidth {
			t.Errorf("the actor view at 390 px scrolls sideways: %+v", l)
		}
		if s.Detail.Title == "" || len(s.Detail.Statements) == 0 {
			t.Errorf("the details at 390 px: %+v", s.Detail)
		}
	})
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestViewerHostile shows data written to run as markup (the payloads of
// TestBrowserEscaping) in every part of the viewer: the timeline and its tooltip, the
// details, the map, the actor view and its network, the name search and its chips. It
// must read as written and never run; the page's CSP would also report it as a console
// error, which fails the test.
func TestViewerHostile(t *testing.T) {
	t.Parallel()
	chromium, node, webDir := viewerTools(t)
	c := newClient(t, openStore(t, store.SQLite), false)
	for _, w := range []struct{ path, body string }{
		{"/api/v1/actors", `{"slug":"hostile-actor","name":` + jsonString(browserActor) + `,"kind":"person","title":` + jsonString(browserScript) + `}`},
		{"/api/v1/actors", `{"slug":"plain-person","name":"Plain Person","kind":"person"}`},
		{"/api/v1/locations", `{"slug":"hostile-town","name":` + jsonString(browserPlace) + `,"latitude":46.8,"longitude":9.8}`},
		{"/api/v1/sources", `{"slug":"hostile-source","outlet":` + jsonString("Outlet "+browserImg) + `,"title":` + jsonString(browserEntity) + `,"url":"https://example.org/a?b=%22%3E%3Cimg","published":"2026-01-23"}`},
		{"/api/v1/events", `{"slug":"hostile-event","title":` + jsonString(browserTitle) + `,"type":"meeting","status":"held","date":"2026-01-23/2026-01-24",` +
			`"summary":` + jsonString("Summary "+browserScript+browserImg) + `,"location_id":"hostile-town","tags":["x"],"source_ids":["hostile-source"],` +
			`"participants":[{"actor_id":"hostile-actor","role":"host","represents_id":"plain-person"},{"actor_id":"plain-person","role":"participant"}]}`},
		{"/api/v1/statements", `{"text":` + jsonString("quote "+browserImg) + `,"quote":true,"speaker_id":"hostile-actor","attribution":` + jsonString("source "+browserImg) +
			`,"medium":` + jsonString(browserEntity) + `,"event_id":"hostile-event","date":"2026-01-23","source_ids":["hostile-source"]}`},
	} {
		if r := c.do("POST", w.path, w.body); r.Status != 201 {
			t.Fatalf("POST %s: %d %s", w.path, r.Status, r.Body)
		}
	}
	var rep viewerReport
	runViewerScript(t, node, webDir, chromium, "viewer.mjs", map[string]any{"base": c.srv.URL, "out": viewerArtifacts(t, "viewer-hostile"), "only": []string{"hostile"}},
		&rep, 3*time.Minute)
	for _, e := range slices.Concat(rep.ConsoleErrors, rep.PageErrors, rep.Blocked, rep.BadResponses) {
		t.Errorf("page: %s", e)
	}
	var s struct {
		Detail  viewerDetail
		View    viewerView
		Tooltip string
		Actor   struct {
			Name       string
			Co         []string
			Statements []string
		}
		Options []string
		Chips   []string
		Pwned   bool
	}
	if !rep.scenario(t, "hostile", &s) {
		return
	}
	if s.Pwned {
		t.Error("markup from the data ran in the page")
	}
	d := s.Detail
	if d.Title != browserTitle || !slices.Equal(s.View.List, []string{browserTitle}) || !slices.Equal(s.View.Items, []string{browserTitle}) {
		t.Errorf("the title reads %q, in the list %q, on the timeline %q; want %q", d.Title, s.View.List, s.View.Items, browserTitle)
	}
	if want := browserPlace + ": Summary " + browserScript + browserImg; !strings.Contains(s.Tooltip, want) {
		t.Errorf("the tooltip reads %q, want %q", s.Tooltip, want)
	}
	if !strings.HasPrefix(d.Place, browserPlace) || d.Markers != 1 {
		t.Errorf("the place reads %q with %d markers", d.Place, d.Markers)
	}
	if len(d.Participants) != 2 || d.Participants[0].Name != browserActor || d.Participants[0].Represents != "Plain Person" {
		t.Errorf("participants %+v", d.Participants)
	}
	if len(d.Statements) != 1 || d.Statements[0].Text != "“quote "+browserImg+"”" || d.Statements[0].Attribution != "source "+browserImg ||
		d.Statements[0].Medium != browserEntity {
		t.Errorf("statements %+v", d.Statements)
	}
	if len(d.Sources) != 1 || d.Sources[0].Label != "Outlet "+browserImg+": "+browserEntity || d.Sources[0].Href != "https://example.org/a?b=%22%3E%3Cimg" {
		t.Errorf("sources %+v", d.Sources)
	}
	if s.Actor.Name != browserActor || !slices.Equal(s.Actor.Co, []string{"Plain Person"}) || len(s.Actor.Statements) != 1 {
		t.Errorf("the actor view: %+v", s.Actor)
	}
	if !slices.Contains(s.Options, browserActor) || !slices.Equal(s.Chips, []string{browserActor}) {
		t.Errorf("the name search offers %q, the chip reads %q", s.Options, s.Chips)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// viewerLoadEvents is how many generated events TestViewerLoad puts behind the viewer.
const viewerLoadEvents = 50_000

// TestViewerLoad opens the viewer on 50,000 generated events in PostgreSQL and measures,
// with the browser's performance API, the time to the first drawn timeline and the
// longest main-thread task while it pans and zooms (web/e2e/load.mjs). The figures are
// logged, not asserted (the machine decides them); what is asserted is that the page
// loads only a window of the events, never more than a page of them, and fetches more
// as the window moves.
//
// It does not run in parallel: its figures are the page's, not those of a hundred other
// tests sharing the CPUs, and its import does not weigh on TestExportHeapBounded's
// bound of the process's heap.
func TestViewerLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 50,000 events")
	}
	chromium, node, webDir := viewerTools(t)
	st := openStore(t, store.Postgres)
	c := newClient(t, st, false)
	start := time.Now()
	// The bundle streams from the generator into a bulk import (the first load of an
	// empty database, as parley import --bulk does it), never whole in memory.
	pr, pw := io.Pipe()
	go func() {
		bw := formats.NewBundleWriter(pw)
		err := bench.Generate(bench.GenOptions{Events: viewerLoadEvents, Seed: 42}, bw.Write)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	rd := formats.NewBundleReader(pr)
	rep, err := st.ImportBulk(store.WithAuthor(context.Background(), "test"), func() (store.ImportRecord, error) {
		rec, err := rd.Next()
		if err != nil {
			return store.ImportRecord{}, err
		}
		return store.ImportRecord{Line: rec.Line, Kind: rec.Type, Entity: rec.Entity, Stated: rec.Stated, Err: rec.Err}, nil
	}, store.ImportOptions{Atomic: true})
	_ = pr.CloseWithError(io.ErrClosedPipe) // stops the generator if the import ended early
	if err != nil || !rep.Committed || rep.Counts["event"].Created != viewerLoadEvents {
		t.Fatalf("import: %v %+v", err, rep)
	}
	t.Logf("imported %d events in %s", viewerLoadEvents, time.Since(start).Round(time.Second))
	dir := viewerArtifacts(t, "viewer-load")
	var out struct {
		BrowserVersion       string
		FirstRenderMs        float64
		DomContentLoadedMs   float64
		LoadMs               float64
		InitialRequests      int
		InitialTransferBytes int
		InitialAPI           []struct {
			URL   string
			Ms    int
			Bytes int
		} `json:"initialApi"`
		InitialLongest   float64
		Summary          string
		ItemsDrawn       int
		ItemsLoaded      int
		InteractionMs    int
		LongTasks        int
		LongestTaskMs    float64
		LongTaskTotalMs  int
		WindowLoads      int
		WindowLoadMs     []int
		FinalSummary     string
		FinalItemsLoaded int
		Windows          []string
		Screenshot       string
		ConsoleErrors    []string
		PageErrors       []string
		Blocked          []string
		BadResponses     []string
	}
	runViewerScript(t, node, webDir, chromium, "load.mjs", map[string]any{"base": c.srv.URL, "out": dir, "moves": 12}, &out, 5*time.Minute)
	if b, err := json.MarshalIndent(out, "", "  "); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "load.json"), b, 0o644)
	}
	t.Logf("Chromium %s, %d events on PostgreSQL", out.BrowserVersion, viewerLoadEvents)
	t.Logf("first render %.0f ms after navigation (DOMContentLoaded %.0f ms, load %.0f ms); %d requests, %d bytes; longest task while loading %.0f ms",
		out.FirstRenderMs, out.DomContentLoadedMs, out.LoadMs, out.InitialRequests, out.InitialTransferBytes, out.InitialLongest)
	for _, a := range out.InitialAPI {
		t.Logf("  %s: %d ms, %d bytes", a.URL, a.Ms, a.Bytes)
	}
	t.Logf("panning and zooming for %d ms: longest main-thread task %.0f ms, %d long tasks (%d ms in all); %d window loads (%v ms)",
		out.InteractionMs, out.LongestTaskMs, out.LongTasks, out.LongTaskTotalMs, out.WindowLoads, out.WindowLoadMs)
	t.Logf("figures: %s; screenshot: %s", filepath.Join(dir, "load.json"), out.Screenshot)

	for _, e := range slices.Concat(out.ConsoleErrors, out.PageErrors, out.Blocked, out.BadResponses) {
		t.Errorf("page: %s", e)
	}
	if out.FirstRenderMs <= 0 || out.ItemsDrawn == 0 {
		t.Errorf("no timeline drawn: first render %v, %d items", out.FirstRenderMs, out.ItemsDrawn)
	}
	if !strings.HasPrefix(out.Summary, "50,000 events match") {
		t.Errorf("summary %q", out.Summary)
	}
	if out.ItemsLoaded > 500 || out.FinalItemsLoaded > 500 {
		t.Errorf("the page holds %d then %d events: more than a window's page", out.ItemsLoaded, out.FinalItemsLoaded)
	}
	if out.WindowLoads < 2 {
		t.Errorf("%d window loads while panning and zooming: the page does not follow the window", out.WindowLoads)
	}
}
