package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// redirects answers a request for an entity that a merge took away, by its old id or
// slug, with 308 Permanent Redirect to the same path under the survivor (its id when the
// request named an id, else its slug), query string kept: GET, HEAD, PUT, PATCH and
// DELETE of /{plural}/{id} and every sub-path (/actors/{old}/events). It looks only
// where the handler found nothing (a 404 not yet written), so a request for an entity
// that exists costs nothing more; a merged id is gone and its slug stays reserved, so an
// old one always finds nothing first. A merge (POST) of a merged entity is not
// redirected: its duplicate is gone (404). The body is {"redirect": url}.
func redirects(st *store.Store) gin.HandlerFunc {
	return func(c *gin.Context) {
		ref := c.Param("id")
		k := redirectKind(c.Request.Method, c.FullPath())
		c.Next()
		if k == nil || ref == "" || c.Writer.Written() || len(c.Errors) == 0 ||
			models.ErrorCodeOf(c.Errors.Last().Err) != models.ENOTFOUND {
			return
		}
		id, slug, found, err := st.Redirected(c.Request.Context(), k, ref)
		if err != nil || !found {
			return // the 404 stands
		}
		c.Errors = c.Errors[:0]
		to := slug
		if _, perr := models.ParseID(ref); perr == nil {
			to = id.String()
		}
		// The rest of the path as requested (the route's own has parameter names).
		sub, _ := strings.CutPrefix(c.Request.URL.Path, "/api/v1/"+k.Plural+"/"+ref)
		loc := "/api/v1/" + k.Plural + "/" + to + sub
		if c.Request.URL.RawQuery != "" {
			loc += "?" + c.Request.URL.RawQuery
		}
		c.Header("Location", loc)
		if c.Request.Method == http.MethodHead {
			c.Status(http.StatusPermanentRedirect)
			return
		}
		c.JSON(http.StatusPermanentRedirect, gin.H{"redirect": loc})
	}
}

// redirectKind is the kind whose redirects answer method on route (gin's form,
// "/api/v1/actors/:id/events"), nil when the route is not redirected: the one rule
// that the middleware follows and the API documents describe (a 308 response).
func redirectKind(method, route string) *models.Kind {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return nil
	}
	rest, ok := strings.CutPrefix(route, "/api/v1/")
	if !ok {
		return nil
	}
	plural, sub, ok := strings.Cut(rest, "/:id")
	if !ok || strings.HasPrefix(sub, "/revisions") || (sub != "" && !strings.HasPrefix(sub, "/")) {
		// An old id keeps its history at /{id}/revisions.
		return nil
	}
	for _, k := range models.Kinds {
		if k.Plural == plural && k.Slug {
			return k
		}
	}
	return nil
}
