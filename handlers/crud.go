package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// crud holds the store calls of one resource; the exported, annotated handlers of each
// resource call its methods, so the flow decode → validate → store → respond exists once.
type crud[T any, P interface {
	*T
	models.Entity
}] struct {
	// kind is the entity's kind: its collection path and its revisions' entity type.
	kind    *models.Kind
	create  func(context.Context, P) error
	get     func(context.Context, string) (P, error)
	replace func(context.Context, string, P, int) error
	remove  func(context.Context, string, int) error
	// history reads past states.
	history HistoryStore
}

// HistoryStore is what reading an entity's history, and the entity as it was, needs of
// the store.
type HistoryStore interface {
	StateAt(ctx context.Context, kind *models.Kind, ref string, at time.Time) (*models.Revision, error)
	Revisions(ctx context.Context, kind *models.Kind, ref string, f store.RevisionFilter) (store.Page[models.Revision], error)
}

// respondAt answers with the entity's state at time at, from its revisions: the body is
// the state the revision recorded, with the version it had then in X-Parley-Version (no
// ETag: If-Match needs the current version).
func respondAt(c *gin.Context, h HistoryStore, kind *models.Kind, at time.Time) {
	rev, err := h.StateAt(c.Request.Context(), kind, c.Param("id"), at)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("X-Parley-Version", strconv.Itoa(rev.Version))
	c.Data(http.StatusOK, "application/json; charset=utf-8", rev.Data)
}

// ifMatch reads the If-Match a change must carry (see the function ifMatch). Without
// it, the 428 shows the header this entity needs, with its current version: the client
// learns the exact form and where the value comes from, and still has to choose to send
// it. false means the request was answered (428, 412, or 404 for a missing entity).
func (h *crud[T, P]) ifMatch(c *gin.Context) (int, bool) {
	v, err := ifMatch(c)
	if models.ErrorCodeOf(err) == models.EPRECONDREQUIRED {
		cur, gerr := h.get(c.Request.Context(), c.Param("id"))
		if gerr != nil {
			Fail(c, gerr)
			return 0, false
		}
		ver := cur.GetMeta().Version
		err = models.Errorf(models.EPRECONDREQUIRED,
			"send If-Match with the ETag of the version you read: %s %q is at version %d now, so a client that read that version sends If-Match: \"%d\" (GET /api/v1/%s/%s answers it in the ETag header); If-Match: * overwrites whatever is there",
			h.kind.Name, c.Param("id"), ver, ver, h.kind.Plural, c.Param("id"))
	}
	if err != nil {
		Fail(c, err)
		return 0, false
	}
	return v, true
}

func (h *crud[T, P]) doCreate(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	var v T
	if err := decode(c, &v); err != nil {
		Fail(c, err)
		return
	}
	e := P(&v)
	if err := h.create(c.Request.Context(), e); err != nil {
		Fail(c, err)
		return
	}
	setETag(c, e.GetMeta().Version)
	c.Header("Location", "/api/v1/"+h.kind.Plural+"/"+e.GetMeta().ID.String())
	c.JSON(http.StatusCreated, e)
}

func (h *crud[T, P]) doGet(c *gin.Context) {
	q := newQuery(c, "at")
	at := q.time("at")
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	if at != nil {
		respondAt(c, h.history, h.kind, *at)
		return
	}
	e, err := h.get(c.Request.Context(), c.Param("id"))
	if err != nil {
		Fail(c, err)
		return
	}
	if notModified(c, e.GetMeta().Version) {
		return
	}
	setETag(c, e.GetMeta().Version)
	c.JSON(http.StatusOK, e)
}

func (h *crud[T, P]) doReplace(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	ifVersion, ok := h.ifMatch(c)
	if !ok {
		return
	}
	var v T
	if err := decode(c, &v); err != nil {
		Fail(c, err)
		return
	}
	h.finishReplace(c, P(&v), ifVersion)
}

func (h *crud[T, P]) finishReplace(c *gin.Context, e P, ifVersion int) {
	if err := h.replace(c.Request.Context(), c.Param("id"), e, ifVersion); err != nil {
		Fail(c, err)
		return
	}
	setETag(c, e.GetMeta().Version)
	c.JSON(http.StatusOK, e)
}

// doPatch applies an RFC 7396 JSON merge patch to the current state and stores the
// result as a PUT would, guarded by the version it read.
func (h *crud[T, P]) doPatch(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	ifVersion, ok := h.ifMatch(c)
	if !ok {
		return
	}
	patch, err := readBody(c)
	if err != nil {
		Fail(c, err)
		return
	}
	// Strict parse of the patch itself: an object, no duplicate or invalid members.
	var obj map[string]json.RawMessage
	if err := models.UnmarshalStrict(patch, &obj); err != nil {
		Fail(c, err)
		return
	}
	cur, err := h.get(c.Request.Context(), c.Param("id"))
	if err != nil {
		Fail(c, err)
		return
	}
	if ifVersion > 0 && cur.GetMeta().Version != ifVersion {
		Fail(c, models.Errorf(models.EPRECONDITION, "the entity is at version %d, not %d: read it again", cur.GetMeta().Version, ifVersion))
		return
	}
	doc, err := json.Marshal(cur)
	if err != nil {
		Fail(c, err)
		return
	}
	merged, err := jsonpatch.MergePatch(doc, patch)
	if err != nil {
		Fail(c, models.Errorf(models.EINVALID, "the body is not a JSON merge patch"))
		return
	}
	var v T
	if err := models.UnmarshalStrict(merged, &v); err != nil {
		Fail(c, err)
		return
	}
	h.finishReplace(c, P(&v), cur.GetMeta().Version)
}

// doRevisions lists the entity's history, oldest first.
func (h *crud[T, P]) doRevisions(c *gin.Context) {
	q := newQuery(c, "limit", "cursor")
	f := store.RevisionFilter{Limit: q.int("limit"), Cursor: q.one("cursor")}
	if err := q.err(); err != nil {
		Fail(c, err)
		return
	}
	p, err := h.history.Revisions(c.Request.Context(), h.kind, c.Param("id"), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}

func (h *crud[T, P]) doDelete(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	ifVersion, ok := h.ifMatch(c)
	if !ok {
		return
	}
	if err := h.remove(c.Request.Context(), c.Param("id"), ifVersion); err != nil {
		Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
