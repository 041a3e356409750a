package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// published fetches the two documents a server publishes under an access policy.
func published(t *testing.T, private bool) (v3 *openapi3.T, v2 *openapi2.T, raw2 []byte) {
	t.Helper()
	h, err := api.New(storetest.Open(t, store.SQLite), nil, api.Options{PrivateReads: private})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) []byte {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.Bytes()
	}
	raw3 := get("/openapi.json")
	v3, err = openapi3.NewLoader().LoadFromData(raw3)
	if err != nil {
		t.Fatalf("/openapi.json: %v", err)
	}
	if err := v3.Validate(context.Background()); err != nil {
		t.Fatalf("/openapi.json: %v", err)
	}
	raw2 = get("/swagger/doc.json")
	v2 = &openapi2.T{}
	if err := json.Unmarshal(raw2, v2); err != nil {
		t.Fatalf("/swagger/doc.json: %v", err)
	}
	return v3, v2, raw2
}

// docOp is an operation of either document, as these tests compare them.
type docOp struct {
	method, path, route, id string
	tags                    []string
	security                []map[string][]string // nil: not stated
	stated                  bool
	scope                   any // x-parley-scope
	codes                   []string
	query                   []string
}

func (o docOp) String() string { return o.method + " " + o.path }

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

func opsOf3(doc *openapi3.T) []docOp {
	var out []docOp
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := docOp{method: method, path: path, route: pathParamRE.ReplaceAllString(path, ":$1"), id: op.OperationID,
				tags: op.Tags, scope: op.Extensions["x-parley-scope"], codes: slices.Sorted(maps.Keys(op.Responses.Map()))}
			if op.Security != nil {
				o.stated = true
				for _, r := range *op.Security {
					o.security = append(o.security, r)
				}
			}
			for _, p := range op.Parameters {
				if p.Value.In == openapi3.ParameterInQuery {
					o.query = append(o.query, p.Value.Name)
				}
			}
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b docOp) int { return strings.Compare(a.String(), b.String()) })
	return out
}

func opsOf2(doc *openapi2.T) []docOp {
	var out []docOp
	for path, item := range doc.Paths {
		for method, op := range item.Operations() {
			o := docOp{method: method, path: path, route: pathParamRE.ReplaceAllString(path, ":$1"), id: op.OperationID,
				tags: op.Tags, scope: op.Extensions["x-parley-scope"], codes: slices.Sorted(maps.Keys(op.Responses.Map()))}
			if op.Security != nil {
				o.stated = true
				for _, r := range *op.Security {
					o.security = append(o.security, r)
				}
			}
			for _, p := range op.Parameters {
				if p.In == "query" {
					o.query = append(o.query, p.Name)
				}
			}
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b docOp) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// TestDocumentsAccessPolicy: both documents, with reads public and private, describe
// the access policy as the README states it (wantScope, not the server's own table):
// the bearer scheme; on every operation under /api the security it needs (a key
// optional where none is needed), 429, and 403 where the scope is write or admin;
// health and metrics explicitly open; 401 everywhere (a bad key is refused even where
// none is needed). The Swagger 2 document names no host (swagger-parser refuses
// "host": "").
func TestDocumentsAccessPolicy(t *testing.T) {
	t.Parallel()
	for _, private := range []bool{false, true} {
		v3, v2, raw2 := published(t, private)
		s := v3.Components.SecuritySchemes["bearer"]
		if s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
			t.Errorf("OpenAPI 3: the bearer scheme is %+v", s)
		}
		if s := v2.SecurityDefinitions["bearer"]; s == nil || s.Type != "apiKey" || s.In != "header" || s.Name != "Authorization" {
			t.Errorf("Swagger 2: the bearer scheme is %+v", s)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(raw2, &top); err != nil {
			t.Fatal(err)
		}
		if _, ok := top["host"]; ok {
			t.Errorf("Swagger 2 names a host: %s", top["host"])
		}
		optional := []map[string][]string{{}, {"bearer": {}}}
		needed := []map[string][]string{{"bearer": {}}}
		for name, ops := range map[string][]docOp{"OpenAPI 3": opsOf3(v3), "Swagger 2": opsOf2(v2)} {
			if len(ops) < 50 {
				t.Fatalf("%s: only %d operations", name, len(ops))
			}
			for _, o := range ops {
				need := wantScope(o.method, o.route, private)
				where := fmt.Sprintf("%s (private reads %v): %s", name, private, o)
				if !slices.Contains(o.codes, "401") {
					t.Errorf("%s: no 401 response (a bad key is refused anywhere)", where)
				}
				switch {
				case !strings.HasPrefix(o.route, "/api/"):
					if !o.stated || len(o.security) != 0 {
						t.Errorf("%s: security %v, want [] (open)", where, o.security)
					}
					continue
				case need == "":
					if !o.stated || !equalJSON(o.security, optional) || o.scope != nil {
						t.Errorf("%s: security %v (scope %v), want a key optional", where, o.security, o.scope)
					}
				default:
					if !o.stated || !equalJSON(o.security, needed) || o.scope != string(need) {
						t.Errorf("%s: security %v (scope %v), want the bearer key with scope %s", where, o.security, o.scope, need)
					}
				}
				if !slices.Contains(o.codes, "429") {
					t.Errorf("%s: no 429 response", where)
				}
				if want := need == models.ScopeWrite || need == models.ScopeAdmin; slices.Contains(o.codes, "403") != want {
					t.Errorf("%s: a 403 response is %v, want %v", where, slices.Contains(o.codes, "403"), want)
				}
			}
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestDocumentsOperations: every operation of both documents has an operationId, unique;
// the collection routes of every kind have the ids derived from its names (listEvents,
// createEvent, getEvent, replaceEvent, patchEvent, deleteEvent, listEventRevisions);
// every tag used is defined and described; in OpenAPI 3 a success is typed by its own
// schema only (never application/problem+json) and an error with the problem schema is
// application/problem+json only; the format places answer in every media type of the
// format registry.
func TestDocumentsOperations(t *testing.T) {
	t.Parallel()
	v3, v2, _ := published(t, false)
	for name, ops := range map[string][]docOp{"OpenAPI 3": opsOf3(v3), "Swagger 2": opsOf2(v2)} {
		ids := map[string]string{}
		for _, o := range ops {
			if o.id == "" {
				t.Errorf("%s: %s has no operationId (add @ID to its annotations)", name, o)
			} else if prev, dup := ids[o.id]; dup {
				t.Errorf("%s: %s and %s share the operationId %s", name, prev, o, o.id)
			}
			ids[o.id] = o.String()
		}
		for _, k := range models.Kinds {
			one, many := upperFirst(k.Name), upperFirst(k.Plural)
			base := "/api/v1/" + k.Plural
			for op, want := range map[string]string{
				"GET " + base: "list" + many, "POST " + base: "create" + one, "GET " + base + "/{id}": "get" + one,
				"PUT " + base + "/{id}": "replace" + one, "PATCH " + base + "/{id}": "patch" + one,
				"DELETE " + base + "/{id}": "delete" + one, "GET " + base + "/{id}/revisions": "list" + one + "Revisions",
			} {
				if ids[want] != op {
					t.Errorf("%s: the operationId of %s is not %s (%s has it)", name, op, want, ids[want])
				}
			}
		}
	}
	for _, tags := range []openapi3.Tags{v3.Tags, v2.Tags} {
		for _, o := range opsOf3(v3) {
			for _, tag := range o.tags {
				if d := tags.Get(tag); d == nil || d.Description == "" {
					t.Errorf("%s: its tag %s is not defined with a description", o, tag)
				}
			}
		}
	}
	for path, item := range v3.Paths.Map() {
		for method, op := range item.Operations() {
			for code, resp := range op.Responses.Map() {
				for mt, m := range resp.Value.Content {
					switch {
					case code[0] == '2' && mt == api.ProblemContentType:
						t.Errorf("%s %s: the %s response is also %s", method, path, code, mt)
					case m.Schema == nil:
						t.Errorf("%s %s: the %s response in %s has no schema", method, path, code, mt)
					case code[0] >= '4' && strings.HasSuffix(m.Schema.Ref, "/handlers.Problem") && len(resp.Value.Content) != 1:
						t.Errorf("%s %s: the %s problem response is in %d media types", method, path, code, len(resp.Value.Content))
					case code[0] >= '4' && strings.HasSuffix(m.Schema.Ref, "/handlers.Problem") && mt != api.ProblemContentType:
						t.Errorf("%s %s: the %s problem response is %s", method, path, code, mt)
					}
				}
			}
		}
	}
	for path, at := range map[string]formats.Endpoint{"/api/v1/export": formats.AtExport, "/api/v1/timeline": formats.AtTimeline, "/api/v1/graph": formats.AtGraph} {
		content := v3.Paths.Find(path).Get.Responses.Status(200).Value.Content
		for _, f := range formats.Formats(at) {
			mt, _, _ := mime.ParseMediaType(f.MediaType)
			if content[mt] == nil {
				t.Errorf("GET %s: format %s's media type %s is not documented (%v)", path, f.Name, mt, slices.Sorted(maps.Keys(content)))
			}
		}
	}
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// TestFormatsMatchTheirSchemas asks /timeline, /graph and /export for every format of the
// registry on the built-in dataset: each answers in a media type the document lists, and
// a JSON document matches the schema the response's description names for its format
// (not only one of the alternatives). The harness checks the rest against the document.
func TestFormatsMatchTheirSchemas(t *testing.T) {
	t.Parallel()
	c := newClient(t, storetest.Open(t, store.SQLite), true)
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	named := regexp.MustCompile(`format=([a-z0-9]+): ([^,]+), ([^;]+?)(?:;|\.$)`)
	for path, at := range map[string]formats.Endpoint{"/api/v1/export": formats.AtExport, "/api/v1/timeline": formats.AtTimeline, "/api/v1/graph": formats.AtGraph} {
		resp := doc.Paths.Find(path).Get.Responses.Status(200).Value
		schemaOf := map[string]string{}
		for _, m := range named.FindAllStringSubmatch(*resp.Description, -1) {
			schemaOf[m[1]] = m[3]
		}
		for _, f := range formats.Formats(at) {
			r := c.get(path + "?format=" + f.Name)
			if r.Status != http.StatusOK {
				t.Errorf("GET %s?format=%s: %d %.300s", path, f.Name, r.Status, r.Body)
				continue
			}
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if resp.Content[mt] == nil {
				t.Errorf("GET %s?format=%s answers %s, which the document does not list", path, f.Name, mt)
			}
			name := schemaOf[f.Name]
			array := strings.HasPrefix(name, "an array of ")
			s := doc.Components.Schemas[strings.TrimPrefix(name, "an array of ")]
			if s == nil {
				if mt == "application/json" {
					t.Errorf("GET %s: the description names no schema for format %s: %s", path, f.Name, *resp.Description)
				}
				continue
			}
			var body any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Errorf("GET %s?format=%s: %v", path, f.Name, err)
				continue
			}
			items := []any{body}
			if array {
				items, _ = body.([]any)
			}
			for _, item := range items {
				if err := s.Value.VisitJSON(item); err != nil {
					t.Errorf("GET %s?format=%s does not match %s: %.500v", path, f.Name, name, err)
					break
				}
			}
		}
	}
}
