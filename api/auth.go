package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// requiredScope is the scope a request to route needs, "" when it is open to anyone.
// It is the one place the access policy lives: the middleware enforces it, the OpenAPI
// document describes it and the authorisation test checks every route against it.
//   - health, metrics and the API documents are open;
//   - reads are public unless privateReads, then they need read;
//   - writes need write;
//   - bulk import, key management and merging duplicates need admin.
func requiredScope(method, route string, privateReads bool) models.Scope {
	switch {
	case !strings.HasPrefix(route, "/api/"):
		return ""
	case strings.HasPrefix(route, "/api/v1/keys"), route == "/api/v1/import", strings.HasSuffix(route, "/merge"):
		return models.ScopeAdmin
	case method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions:
		if privateReads {
			return models.ScopeRead
		}
		return ""
	}
	return models.ScopeWrite
}

// authenticate checks the request's bearer key against the route's required scope: 401
// (with a WWW-Authenticate challenge, RFC 6750) for a missing, malformed, unknown or
// revoked key, 403 for a key whose scope falls short. A key is checked whenever one is
// sent, so a client learns that its key is bad even on a public read. Writes made with a
// key are recorded in revisions under its name and prefix.
func authenticate(st *store.Store, privateReads bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.FullPath()
		if route == "" {
			c.Next() // no such route: a 404 says more than a 401
			return
		}
		need := requiredScope(c.Request.Method, route, privateReads)
		var key *models.APIKey
		if h := c.GetHeader("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				challenge(c, `error="invalid_request"`, models.Errorf(models.EUNAUTHORIZED, `send the key as "Authorization: Bearer <key>"`))
				return
			}
			k, err := st.Authenticate(c.Request.Context(), strings.TrimSpace(token))
			if err != nil {
				if models.ErrorCodeOf(err) == models.EUNAUTHORIZED {
					challenge(c, `error="invalid_token"`, err)
					return
				}
				fail(c, err)
				return
			}
			key = k
			c.Set(keyContextKey, k)
			c.Request = c.Request.WithContext(store.WithAuthor(c.Request.Context(), "key:"+k.Name+" ("+k.Prefix+")"))
		}
		switch {
		case need == "":
		case key == nil:
			challenge(c, "", models.Errorf(models.EUNAUTHORIZED, "this needs an API key with the %s scope", need))
			return
		case !key.Scope.Allows(need):
			challenge(c, `error="insufficient_scope", scope="`+string(need)+`"`,
				models.Errorf(models.EFORBIDDEN, "this needs the %s scope; the key has %s", need, key.Scope))
			return
		}
		c.Next()
	}
}

// keyContextKey holds the request's authenticated *models.APIKey in the gin context.
const keyContextKey = "parley.key"

// keyOf is the request's authenticated API key, nil without one.
func keyOf(c *gin.Context) *models.APIKey {
	k, _ := c.Get(keyContextKey)
	key, _ := k.(*models.APIKey)
	return key
}

// challenge answers 401 or 403 with the Bearer challenge and a problem body.
func challenge(c *gin.Context, params string, err error) {
	v := `Bearer realm="parley"`
	if params != "" {
		v += ", " + params
	}
	c.Header("WWW-Authenticate", v)
	fail(c, err)
}
