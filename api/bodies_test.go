package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestRequestBodiesMatchDecoding: for every kind, the create, replace and patch schemas
// of the published document list exactly what the server's strict decoding takes, on
// both databases holding the built-in dataset:
//   - the documented examples work as they are: the create example makes a new entity,
//     the replace example replaces it, the patch example patches it;
//   - every member the create schema lists is taken: a writable one as sent, a
//     read-only one (version, timestamps) ignored;
//   - every member of the entity's response that the schema leaves out (what include=
//     embeds, at any depth) is refused, and so is an unknown member, nothing written;
//   - the members the schema requires suffice, and leaving out any of them is refused
//     naming it.
func TestRequestBodiesMatchDecoding(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	each(t, true, func(t *testing.T, c *client) {
		for _, k := range models.Kinds {
			t.Run(k.Plural, func(t *testing.T) {
				typ := reflect.TypeOf(k.New()).Elem().Name()
				schema := func(name string) *openapi3.Schema {
					s := doc.Components.Schemas[name]
					if s == nil || s.Value == nil {
						t.Fatalf("no schema %s in the document", name)
					}
					return s.Value
				}
				create, replace, patch, resp := schema(typ+"Create"), schema(typ+"Replace"), schema(typ+"Patch"), schema("models."+typ)
				names := slices.Sorted(maps.Keys(create.Properties))
				if !slices.Equal(names, slices.Sorted(maps.Keys(replace.Properties))) || !slices.Equal(names, slices.Sorted(maps.Keys(patch.Properties))) {
					t.Errorf("the create, replace and patch schemas list different members")
				}
				if !slices.Equal(create.Required, replace.Required) || len(patch.Required) != 0 {
					t.Errorf("required: create %v, replace %v, patch %v", create.Required, replace.Required, patch.Required)
				}
				for _, s := range []*openapi3.Schema{create, replace, patch} {
					if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
						t.Errorf("a request schema takes members it does not list")
					}
				}
				for name, p := range patch.Properties {
					if nullable := p.Value.Nullable; nullable == slices.Contains(create.Required, name) && !p.Value.ReadOnly {
						t.Errorf("patch member %s: nullable %v, required on create %v", name, nullable, slices.Contains(create.Required, name))
					}
				}
				base := "/api/v1/" + k.Plural
				example, ok := create.Example.(map[string]any)
				if !ok {
					t.Fatalf("the create schema has no example: the documents take it from seed/dataset.json, which has no %s", k.Plural)
				}
				for _, name := range create.Required {
					if _, ok := example[name]; !ok {
						t.Errorf("the example lacks the required member %s", name)
					}
				}

				// The documented examples, as they are.
				var made map[string]any
				c.do("POST", base, example).want(t, http.StatusCreated, &made)
				item := base + "/" + made["id"].(string)
				c.do("PUT", item, replace.Example).want(t, http.StatusOK, nil)
				c.do("PATCH", item, patch.Example).want(t, http.StatusOK, nil)

				full := fullRead(t, c, doc, k)
				with := func(name string, v any) map[string]any {
					b := maps.Clone(example)
					b[name] = v
					return b
				}
				// Every documented member is taken.
				for _, name := range names {
					p := create.Properties[name].Value
					var body map[string]any
					switch {
					case name == "id":
						body = with(name, models.NewID().String())
					case name == "slug":
						id := models.NewID().String()
						body = with(name, "documented-"+k.Name+"-"+id[len(id)-12:])
					case p.ReadOnly && p.Type.Is(openapi3.TypeInteger):
						body = with(name, 99)
					case p.ReadOnly:
						body = with(name, "2001-02-03T04:05:06Z")
					case example[name] != nil:
						continue // sent with the example
					case full[name] != nil:
						body = with(name, full[name])
					default:
						t.Logf("no value at hand for the documented member %s", name)
						continue
					}
					var got map[string]any
					r := c.do("POST", base, body)
					if r.Status != http.StatusCreated {
						t.Errorf("the documented member %s (%v): %d %s", name, body[name], r.Status, r.Body)
						continue
					}
					_ = json.Unmarshal(r.Body, &got)
					if (p.ReadOnly && equalJSON(got[name], body[name])) || ((name == "id" || name == "slug") && got[name] != body[name]) {
						t.Errorf("member %s sent %v, answered %v (read-only: %v)", name, body[name], got[name], p.ReadOnly)
					}
				}

				// Every member the schemas leave out is refused, at the top and inside
				// each list of objects; so is an unknown one.
				before := c.fingerprint()
				refuse := func(what string, body map[string]any) {
					r := c.do("POST", base, body)
					if r.Status < 400 || r.Status >= 500 {
						t.Errorf("%s, which the create schema does not list: %d %.300s", what, r.Status, r.Body)
					}
				}
				for name, p := range resp.Properties {
					if create.Properties[name] == nil {
						v := full[name]
						if v == nil {
							v = map[string]any{}
						}
						refuse("the member "+name, with(name, v))
					}
					in := create.Properties[name]
					if p.Value.Items == nil || in == nil || in.Value.Items == nil || in.Value.Items.Ref == "" {
						continue
					}
					elems, _ := example[name].([]any)
					fullElems, _ := full[name].([]any)
					if len(elems) == 0 || len(fullElems) == 0 {
						t.Logf("no %s in the example or the dataset to try their members", name)
						continue
					}
					for member, v := range fullElems[0].(map[string]any) {
						if in.Value.Items.Value.Properties[member] == nil {
							elem := maps.Clone(elems[0].(map[string]any))
							elem[member] = v
							refuse(name+"[0]."+member, with(name, []any{elem}))
						}
					}
				}
				r := c.do("POST", base, with("zz_unknown", 1))
				if !hasField(r.problem(t, http.StatusBadRequest), "zz_unknown") {
					t.Errorf("an unknown member: %s", r.Body)
				}
				if after := c.fingerprint(); !mapsEqual(before, after) {
					t.Errorf("refused bodies wrote: %v -> %v", before, after)
				}

				// The required members suffice, and each is needed.
				minimal := map[string]any{}
				for _, name := range create.Required {
					minimal[name] = example[name]
				}
				// Of members one of which is required, the first the example has.
				if one, ok := create.Extensions["x-parley-one-required"].([]any); ok {
					for _, name := range one {
						if v, ok := example[name.(string)]; ok {
							minimal[name.(string)] = v
							break
						}
					}
				}
				if r := c.do("POST", base, minimal); r.Status != http.StatusCreated {
					t.Errorf("with the required members only (%v): %d %.300s", create.Required, r.Status, r.Body)
				}
				for _, name := range create.Required {
					body := maps.Clone(minimal)
					delete(body, name)
					if r := c.do("POST", base, body); r.Status < 400 || r.Status >= 500 || !strings.Contains(string(r.Body), `"field":"`+name) {
						t.Errorf("without the required member %s: %d %.300s", name, r.Status, r.Body)
					}
				}
			})
		}
	})
}

// fullRead is the first entity of kind k as a client reads it with every include the
// document offers on its GET, so that embedded members have values.
func fullRead(t *testing.T, c *client, doc *openapi3.T, k *models.Kind) map[string]any {
	t.Helper()
	query := ""
	if op := doc.Paths.Find("/api/v1/" + k.Plural + "/{id}").Get; op != nil {
		if p := op.Parameters.GetByInAndName("query", "include"); p != nil && p.Schema.Value.Items != nil {
			var all []string
			for _, v := range p.Schema.Value.Items.Value.Enum {
				all = append(all, v.(string))
			}
			query = "?include=" + strings.Join(all, ",")
		}
	}
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	c.get("/api/v1/"+k.Plural+"?limit=500").want(t, http.StatusOK, &list)
	// The richest: the one whose full read is longest.
	var best map[string]any
	bestLen := -1
	for _, it := range list.Items {
		r := c.get("/api/v1/"+k.Plural+"/"+it.ID+query).want(t, http.StatusOK, nil)
		if len(r.Body) > bestLen {
			best, bestLen = jsonOf(t, r.Body), len(r.Body)
		}
	}
	return best
}

// TestQueryParametersMatchCode: every operation of the document documents exactly the
// query parameters its handler reads. Asked with a parameter nobody knows, every API
// endpoint answers 400 naming the parameters it knows (the allow-list its handler gives
// newQuery); that list is compared with the documented query parameters, both ways.
// Health and metrics take none and document none.
func TestQueryParametersMatchCode(t *testing.T) {
	t.Parallel()
	c := newClient(t, storetest.Open(t, store.SQLite), false)
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	known := regexp.MustCompile(`the parameters known here are ([a-z0-9_, ]+)`)
	ops := opsOf3(doc)
	for _, o := range ops {
		path := strings.ReplaceAll(o.path, "{id}", "no-such-thing") + "?zz_probe=1"
		var body any
		if o.method == http.MethodPost || o.method == http.MethodPut || o.method == http.MethodPatch {
			body = "{}"
		}
		r := c.do(o.method, path, body)
		documented := slices.Sorted(slices.Values(o.query))
		if !strings.HasPrefix(o.route, "/api/") {
			if r.Status != http.StatusOK || len(documented) > 0 {
				t.Errorf("%s: %d, documents %v; want 200 and none", o, r.Status, documented)
			}
			continue
		}
		var p struct {
			Detail string `json:"detail"`
		}
		if r.Status != http.StatusBadRequest || json.Unmarshal(r.Body, &p) != nil || !hasField(r.problem(t, http.StatusBadRequest), "zz_probe") {
			t.Errorf("%s with an unknown parameter: %d %.300s", o, r.Status, r.Body)
			continue
		}
		var takes []string
		switch m := known.FindStringSubmatch(p.Detail); {
		case m != nil:
			takes = strings.Split(m[1], ", ")
		case strings.Contains(p.Detail, "takes no query parameters"):
		default:
			t.Errorf("%s: the problem does not list the known parameters: %s", o, p.Detail)
			continue
		}
		slices.Sort(takes)
		for _, name := range takes {
			if !slices.Contains(documented, name) {
				t.Errorf("%s takes %s, which the document does not list", o, name)
			}
		}
		for _, name := range documented {
			if !slices.Contains(takes, name) {
				t.Errorf("%s documents %s, which it does not take", o, name)
			}
		}
	}
	if len(ops) < 50 {
		t.Errorf("only %d operations", len(ops))
	}
}
