package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
)

// KeyStore is what the key handler needs of the store.
type KeyStore interface {
	CreateKey(context.Context, string, models.Scope) (*models.APIKey, string, error)
	ListKeys(context.Context) ([]models.APIKey, error)
	RevokeKey(context.Context, string) (*models.APIKey, error)
}

// Keys serves /api/v1/keys: API key management, for admin keys only.
type Keys struct{ store KeyStore }

// NewKeys binds the key handler to a store.
func NewKeys(s KeyStore) *Keys { return &Keys{store: s} }

// NewKey is the body of a key creation.
type NewKey struct {
	Name  string       `json:"name" example:"newsroom importer"`
	Scope models.Scope `json:"scope" enums:"read,write,admin" example:"write"`
}

// CreatedKey is a new key's record with its secret, which is shown this once.
type CreatedKey struct {
	models.APIKey
	Secret string `json:"secret" example:"parley_3q2Yt…"`
}

// Create godoc
//
//	@Summary		Create an API key
//	@ID			createKey
//	@Description	Makes a key with a name and a scope (read, write or admin; each includes the ones before it). The response holds the secret, shown this once: only its SHA-256 is stored. Send it as "Authorization: Bearer <secret>".
//	@Tags			keys
//	@Accept			json
//	@Produce		json
//	@Param			key	body		NewKey	true	"Name and scope"
//	@Success		201	{object}	CreatedKey
//	@Failure		400	{object}	Problem
//	@Failure		422	{object}	Problem
//	@Router			/api/v1/keys [post]
func (h *Keys) Create(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	var in NewKey
	if err := decode(c, &in); err != nil {
		Fail(c, err)
		return
	}
	k, secret, err := h.store.CreateKey(c.Request.Context(), in.Name, in.Scope)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, CreatedKey{APIKey: *k, Secret: secret})
}

// List godoc
//
//	@Summary		List API keys
//	@ID			listKeys
//	@Description	Every key, revoked ones included, oldest first; never the secrets.
//	@Tags			keys
//	@Produce		json
//	@Success		200	{object}	List[models.APIKey]
//	@Failure		400	{object}	Problem
//	@Router			/api/v1/keys [get]
func (h *Keys) List(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	keys, err := h.store.ListKeys(c.Request.Context())
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, List[models.APIKey]{Items: keys})
}

// Revoke godoc
//
//	@Summary		Revoke an API key
//	@ID			revokeKey
//	@Description	From now on the key is refused (401). Its record stays, so that the revisions it made still say whose they are. Revoking a revoked key changes nothing.
//	@Tags			keys
//	@Produce		json
//	@Param			id	path		string	true	"Key id or prefix"
//	@Success		200	{object}	models.APIKey
//	@Failure		400	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Router			/api/v1/keys/{id} [delete]
func (h *Keys) Revoke(c *gin.Context) {
	if err := newQuery(c).err(); err != nil {
		Fail(c, err)
		return
	}
	k, err := h.store.RevokeKey(c.Request.Context(), c.Param("id"))
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, k)
}
