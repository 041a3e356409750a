package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/seed"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// The tests here run the npm tools of webtest/ (npm ci there): the validators of the API
// documents and a client generated from them. .ci/run installs them; elsewhere a test
// skips without them, except under CI=true, where it fails. They take seconds each
// (node starting, TypeScript compiling), so -short skips them outside CI.

// needWebtest returns node and the webtest directory, or skips (fails under CI) the test
// when node or one of the package files is missing.
func needWebtest(t *testing.T, files ...string) (node, dir string) {
	t.Helper()
	if testing.Short() && !browserInCI() {
		t.Skip("-short: the npm tools take seconds")
	}
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node on PATH")
	}
	dir, err = filepath.Abs(filepath.Join("..", "webtest"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", f)); err != nil {
			missing = append(missing, "webtest/node_modules/"+f+" (cd webtest && npm ci)")
			break
		}
	}
	requireTools(t, "the npm tools", missing)
	return node, dir
}

// runNode runs a node script in dir, with a deadline, and returns its standard output.
// A non-zero exit is an error unless allowFail (a linter reporting problems).
func runNode(t *testing.T, node, dir string, env []string, allowFail bool, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"NO_COLOR=1", "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true"}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("node %s: %v", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil && !(allowFail && ctx.Err() == nil) {
		t.Fatalf("node %s: %v\nstdout: %.3000s\nstderr: %.3000s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

// serveDocuments writes the documents a server publishes, with reads public and
// private, into dir, and returns their paths.
func serveDocuments(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for _, private := range []bool{false, true} {
		h, err := api.New(storetest.Open(t, store.SQLite), nil, api.Options{PrivateReads: private})
		if err != nil {
			t.Fatal(err)
		}
		for name, path := range map[string]string{"openapi3": "/openapi.json", "swagger2": "/swagger/doc.json"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", path, rec.Code)
			}
			f := filepath.Join(dir, fmt.Sprintf("%s-private-%v.json", name, private))
			if err := os.WriteFile(f, rec.Body.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files
}

// TestDocumentsValidate runs the tools client authors use on both documents the server
// publishes (Swagger 2 at /swagger/doc.json, OpenAPI 3 at /openapi.json), with reads
// public and private: @apidevtools/swagger-parser and `redocly lint` (its recommended
// rules) must find no error. Redocly's warnings are logged.
func TestDocumentsValidate(t *testing.T) {
	node, dir := needWebtest(t, "@apidevtools/swagger-parser/package.json", "@redocly/cli/bin/cli.js")
	t.Parallel()
	files := serveDocuments(t, t.TempDir())

	var parsed []struct {
		File    string   `json:"file"`
		Version string   `json:"version"`
		Errors  []string `json:"errors"`
	}
	out := runNode(t, node, dir, nil, false, append([]string{"validate-spec.js"}, files...)...)
	if err := json.Unmarshal(out, &parsed); err != nil || len(parsed) != len(files) {
		t.Fatalf("validate-spec.js: %v: %s", err, out)
	}
	for _, p := range parsed {
		if len(p.Errors) > 0 || p.Version == "" {
			t.Errorf("swagger-parser: %s: %d errors:\n%s", filepath.Base(p.File), len(p.Errors), strings.Join(p.Errors, "\n"))
		} else {
			t.Logf("swagger-parser: %s (%s): valid", filepath.Base(p.File), p.Version)
		}
	}

	for _, f := range files {
		out := runNode(t, node, dir, nil, true, "node_modules/@redocly/cli/bin/cli.js", "lint", "--format=json", f)
		var report struct {
			Totals struct {
				Errors, Warnings int
			} `json:"totals"`
			Problems []struct {
				RuleID   string `json:"ruleId"`
				Severity string `json:"severity"`
				Message  string `json:"message"`
				Location []struct {
					Pointer string `json:"pointer"`
				} `json:"location"`
			} `json:"problems"`
		}
		if err := json.Unmarshal(out, &report); err != nil {
			t.Fatalf("redocly lint %s: %v: %.2000s", f, err, out)
		}
		for _, p := range report.Problems {
			where := ""
			if len(p.Location) > 0 {
				where = p.Location[0].Pointer
			}
			msg := fmt.Sprintf("redocly: %s: %s %s: %s at %s", filepath.Base(f), p.Severity, p.RuleID, p.Message, where)
			if p.Severity == "error" {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
		t.Logf("redocly: %s: %d errors, %d warnings", filepath.Base(f), report.Totals.Errors, report.Totals.Warnings)
		if report.Totals.Errors != 0 {
			t.Errorf("redocly: %s: %d errors", filepath.Base(f), report.Totals.Errors)
		}
	}
}

// TestTypeScriptClient generates a TypeScript client from /openapi.json with
// openapi-typescript, compiles webtest/tsclient/client.mts against it with tsc --strict
// (openapi-fetch for the calls), and runs it on a server holding the built-in dataset:
// it creates an actor, an event with participants and a statement at it, reads the
// event back with them embedded and pages through /events. The database must then hold
// what it says it made. Nothing in the script is typed by hand, so a document that
// misdescribes a body or an answer stops it compiling or running.
func TestTypeScriptClient(t *testing.T) {
	node, dir := needWebtest(t, "openapi-typescript/bin/cli.js", "typescript/bin/tsc", "openapi-fetch/package.json", "@types/node/package.json")
	t.Parallel()
	st := storetest.Open(t, store.SQLite)
	if _, err := seed.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	c := serveClient(t, st, nil)
	_, key, err := st.CreateKey(context.Background(), "typescript", models.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}

	// The work directory sits in webtest/, so that node finds webtest/node_modules.
	work, err := os.MkdirTemp(dir, ".tsclient-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	for _, f := range []string{"client.mts", "tsconfig.json"} {
		b, err := os.ReadFile(filepath.Join(dir, "tsclient", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := http.Get(c.srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d %v", res.StatusCode, err)
	}
	if err := os.WriteFile(filepath.Join(work, "openapi.json"), spec, 0o600); err != nil {
		t.Fatal(err)
	}
	runNode(t, node, dir, nil, false, "node_modules/openapi-typescript/bin/cli.js", filepath.Join(work, "openapi.json"), "-o", filepath.Join(work, "schema.d.ts"))
	runNode(t, node, dir, nil, false, "node_modules/typescript/bin/tsc", "-p", work)
	out := runNode(t, node, dir, []string{"PARLEY_URL=" + c.srv.URL, "PARLEY_KEY=" + key, "PARLEY_PAGE=2"}, false, filepath.Join(work, "out", "client.mjs"))

	var did struct {
		Actor, Event, Statement string
		Participants            []string
		Statements              []string
		Pages, Events           int
		Found                   bool
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &did); err != nil {
		t.Fatalf("the script's output: %v: %s", err, out)
	}
	t.Logf("the script: %s", bytes.TrimSpace(out))
	var ev models.Event
	c.get("/api/v1/events/"+did.Event+"?include=participants,statements").want(t, http.StatusOK, &ev)
	if len(ev.Participants) != 2 || ev.Participants[0].Actor.String() != did.Actor || len(ev.StatementsData) != 1 ||
		ev.StatementsData[0].ID.String() != did.Statement || ev.StatementsData[0].Speaker.String() != did.Actor {
		t.Errorf("the event the script made: %+v", ev)
	}
	var all struct {
		Items []models.Event `json:"items"`
	}
	c.get("/api/v1/events?limit=500").want(t, http.StatusOK, &all)
	if !did.Found || did.Events != len(all.Items) || did.Pages != int(math.Ceil(float64(len(all.Items))/2)) {
		t.Errorf("paging: the script saw %d events on %d pages (found its own: %v); the database holds %d", did.Events, did.Pages, did.Found, len(all.Items))
	}
	if !slices.Contains(did.Participants, "Hakan Fidan") || len(did.Statements) != 1 {
		t.Errorf("the script read back %v and %v", did.Participants, did.Statements)
	}
}

// TestSwaggerUIWrites does in headless Chromium what the README tells a newcomer to do
// in the Swagger UI (webtest/swagger-ui.js): Authorize with a write key, then Try it out
// and Execute on POST /api/v1/events and POST /api/v1/statements, sending the bodies the
// UI fills in as they are. Both must be created (201) by that key, from the documented
// examples, with nothing fetched from elsewhere and no script error.
func TestSwaggerUIWrites(t *testing.T) {
	if testing.Short() && !browserInCI() {
		t.Skip("-short: a browser takes seconds")
	}
	chromium, node, dir, missing := browserTools(t)
	requireTools(t, "the browser test", missing)
	t.Parallel()
	st := storetest.Open(t, store.SQLite)
	if _, err := seed.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	c := serveClient(t, st, nil)
	k, key, err := st.CreateKey(context.Background(), "swagger-ui", models.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	out := runNode(t, node, dir, []string{"PARLEY_KEY=" + key, "CHROMIUM=" + chromium, "SCREENSHOT=" + filepath.Join(t.TempDir(), "swagger-ui.png")}, false,
		"swagger-ui.js", c.srv.URL, "createEvent", "createStatement")
	var ran struct {
		Title      string   `json:"title"`
		Locks      int      `json:"locks"`
		Blocked    []string `json:"blocked"`
		PageErrors []string `json:"pageErrors"`
		Results    []struct {
			ID     string `json:"id"`
			Sent   string `json:"sent"`
			Status int    `json:"status"`
			Answer string `json:"answer"`
			Error  string `json:"error"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &ran); err != nil {
		t.Fatalf("swagger-ui.js: %v: %s", err, out)
	}
	if len(ran.Blocked) > 0 || len(ran.PageErrors) > 0 || ran.Locks == 0 || !strings.HasPrefix(ran.Title, "parley API") {
		t.Errorf("the page: title %q, %d operations locked after Authorize, blocked %v, script errors %v", ran.Title, ran.Locks, ran.Blocked, ran.PageErrors)
	}
	if len(ran.Results) != 2 {
		t.Fatalf("results: %+v", ran.Results)
	}
	for i, schema := range []string{"EventCreate", "StatementCreate"} {
		r := ran.Results[i]
		if r.Status != http.StatusCreated || r.Error != "" {
			t.Errorf("%s in the Swagger UI: %d %s %.500s", r.ID, r.Status, r.Error, r.Answer)
			continue
		}
		var sent any
		if err := json.Unmarshal([]byte(r.Sent), &sent); err != nil || !equalJSON(sent, doc.Components.Schemas[schema].Value.Example) {
			t.Errorf("%s: the UI sent %s, not the documented example", r.ID, r.Sent)
		}
		var made struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(r.Answer), &made); err != nil {
			t.Errorf("%s: the answer: %v: %.300s", r.ID, err, r.Answer)
			continue
		}
		var revs struct {
			Items []models.Revision `json:"items"`
		}
		plural := map[string]string{"createEvent": "events", "createStatement": "statements"}[r.ID]
		c.get("/api/v1/"+plural+"/"+made.ID+"/revisions").want(t, http.StatusOK, &revs)
		if len(revs.Items) != 1 || revs.Items[0].Author != "key:swagger-ui ("+k.Prefix+")" {
			t.Errorf("%s: the revisions of %s: %+v", r.ID, made.ID, revs.Items)
		}
	}
}
