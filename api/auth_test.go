package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/api"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// wantScope is the access policy as the README states it, written out independently of
// the server's own table: open documents and health, public (or read-scope) reads,
// write-scope writes, admin-scope import and key management.
func wantScope(method, route string, privateReads bool) models.Scope {
	switch {
	case !strings.HasPrefix(route, "/api/v1/"):
		return ""
	case route == "/api/v1/import" || route == "/api/v1/keys" || strings.HasPrefix(route, "/api/v1/keys/") ||
		strings.HasSuffix(route, "/:id/merge") && slices.Contains([]string{"actors", "events", "locations", "outlets", "sources"}, strings.TrimSuffix(strings.TrimPrefix(route, "/api/v1/"), "/:id/merge")):
		return models.ScopeAdmin
	case method == http.MethodGet || method == http.MethodHead:
		if privateReads {
			return models.ScopeRead
		}
		return ""
	}
	return models.ScopeWrite
}

// TestAuthorisationMatrix sends every route the router knows (so a new route cannot be
// missed) with no key, a read, a write and an admin key, and a revoked key, with reads
// public and private, and checks each answer against the policy: 401 with a Bearer
// challenge without a sufficient credential, 403 for a scope that falls short, and
// otherwise whatever the handler says (never 401 or 403).
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	keys := map[string]string{"none": ""}
	for _, sc := range models.Scopes {
		_, secret, err := s.CreateKey(ctx, "matrix "+string(sc), sc)
		if err != nil {
			t.Fatal(err)
		}
		keys[string(sc)] = secret
	}
	k, revoked, err := s.CreateKey(ctx, "matrix revoked", models.ScopeAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeKey(ctx, k.ID.String()); err != nil {
		t.Fatal(err)
	}
	keys["revoked"] = revoked
	keys["malformed"] = "parley_not-a-key"

	cells := 0
	for _, private := range []bool{false, true} {
		h, err := api.New(s, nil, api.Options{PrivateReads: private})
		if err != nil {
			t.Fatal(err)
		}
		routes := h.(*gin.Engine).Routes()
		if len(routes) < 40 {
			t.Fatalf("only %d routes", len(routes))
		}
		for _, rt := range routes {
			path := strings.NewReplacer(":id", "no-such-thing", "*any", "index.html").Replace(rt.Path)
			need := wantScope(rt.Method, rt.Path, private)
			for who, secret := range keys {
				cells++
				hdr := []string{"Content-Type", "application/json"}
				if secret != "" {
					hdr = append(hdr, "Authorization", "Bearer "+secret)
				}
				rec := request(h, rt.Method, path, "192.0.2.1:1234", hdr...)
				var want int
				switch {
				case who == "revoked" || who == "malformed":
					want = http.StatusUnauthorized // a bad key is refused even where none is needed
				case need == "":
				case who == "none":
					want = http.StatusUnauthorized
				case !models.Scope(who).Allows(need):
					want = http.StatusForbidden
				}
				got := rec.Code
				if want == 0 {
					if got == http.StatusUnauthorized || got == http.StatusForbidden {
						t.Errorf("private=%v %s %s with %s key: %d, want the handler's answer", private, rt.Method, rt.Path, who, got)
					}
					continue
				}
				if got != want {
					t.Errorf("private=%v %s %s with %s key: %d, want %d", private, rt.Method, rt.Path, who, got, want)
					continue
				}
				ch := rec.Header().Get("WWW-Authenticate")
				if !strings.HasPrefix(ch, `Bearer realm="parley"`) || (want == http.StatusForbidden) != strings.Contains(ch, `error="insufficient_scope"`) {
					t.Errorf("%s %s with %s key: WWW-Authenticate %q", rt.Method, rt.Path, who, ch)
				}
				if rt.Method != http.MethodHead && !strings.HasPrefix(rec.Header().Get("Content-Type"), api.ProblemContentType) {
					t.Errorf("%s %s with %s key: content type %q", rt.Method, rt.Path, who, rec.Header().Get("Content-Type"))
				}
			}
		}
	}
	t.Logf("%d cells (routes × 6 credentials × public and private reads)", cells)
}

// TestKeysOverHTTP manages keys through the API as an admin would, on both databases:
// the secret comes back once and works with its scope, the list never shows secrets,
// a revoked key is refused, and revisions name the key that made them. Every response
// is checked against the OpenAPI document, 401 and 403 included.
func TestKeysOverHTTP(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		var created handlers.CreatedKey
		c.do("POST", "/api/v1/keys", `{"name":"newsroom","scope":"write"}`).want(t, 201, &created)
		if !strings.HasPrefix(created.Secret, "parley_") || created.Scope != models.ScopeWrite || created.Prefix != created.Secret[:19] {
			t.Fatalf("created key: %+v", created)
		}
		writer := "Bearer " + created.Secret
		ev := `{"title":"Talks in Oslo","type":"meeting","status":"held","date":"2026-02"}`
		var e models.Event
		c.do("POST", "/api/v1/events", ev, "Authorization", writer).want(t, 201, &e)
		var revs handlers.List[models.Revision]
		c.get("/api/v1/events/"+e.ID.String()+"/revisions").want(t, 200, &revs)
		if len(revs.Items) != 1 || revs.Items[0].Author != "key:newsroom ("+created.Prefix+")" {
			t.Fatalf("revisions: %+v", revs.Items)
		}

		p := c.do("POST", "/api/v1/import", "", "Authorization", writer).problem(t, 403)
		if !strings.Contains(p.Detail, "admin") {
			t.Errorf("403 detail %q", p.Detail)
		}
		c.do("POST", "/api/v1/keys", `{"name":"x","scope":"read"}`, "Authorization", writer).problem(t, 403)
		c.do("POST", "/api/v1/events", ev, "Authorization", "").problem(t, 401)
		c.do("POST", "/api/v1/events", ev, "Authorization", "Basic dXNlcjpwYXNz").problem(t, 401)
		c.do("POST", "/api/v1/keys", `{"name":"x","scope":"root"}`).problem(t, 422)
		c.do("POST", "/api/v1/keys", `{"name":"x","scope":"read","admin":true}`).problem(t, 400)

		list := c.get("/api/v1/keys")
		var keys handlers.List[models.APIKey]
		list.want(t, 200, &keys)
		if len(keys.Items) != 2 || strings.Contains(string(list.Body), created.Secret) || strings.Contains(string(list.Body), "hash") {
			t.Fatalf("key list: %s", list.Body)
		}
		var rk models.APIKey
		c.do("DELETE", "/api/v1/keys/"+created.Prefix, nil).want(t, 200, &rk)
		if rk.RevokedAt == nil {
			t.Fatalf("revoked key: %+v", rk)
		}
		c.do("GET", "/api/v1/events", nil, "Authorization", writer).problem(t, 401)
		c.do("DELETE", "/api/v1/keys/parley_nosuchkey1", nil).problem(t, 404)
	})
}
