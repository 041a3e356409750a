package handlers

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
)

// StatementStore is what the statement handlers need of the store.
type StatementStore interface {
	HistoryStore
	CreateStatement(context.Context, *models.Statement) error
	GetStatement(context.Context, string) (*models.Statement, error)
	ReplaceStatement(context.Context, string, *models.Statement, int) error
	DeleteStatement(context.Context, string, int) error
	ListStatements(context.Context, store.StatementFilter) (store.Page[models.Statement], error)
}

// Statements serves /statements.
type Statements struct {
	store StatementStore
	crud  crud[models.Statement, *models.Statement]
}

var _ = resource(models.KindStatement, func(s StatementStore) Resource { return Resource{Collection: NewStatements(s)} })

// NewStatements binds the statement handlers to a store.
func NewStatements(s StatementStore) *Statements {
	return &Statements{store: s, crud: crud[models.Statement, *models.Statement]{
		kind: models.KindStatement, history: s, create: s.CreateStatement, get: s.GetStatement, replace: s.ReplaceStatement, remove: s.DeleteStatement,
	}}
}

func statementFilter(c *gin.Context, withSpeaker bool) (store.StatementFilter, error) {
	names := []string{"event", "from", "to", "tag", "quote", "source", "supports", "q", "sort", "limit", "cursor", "include"}
	if withSpeaker {
		names = append(names, "speaker", "speaks_for")
	}
	q := newQuery(c, names...)
	f := store.StatementFilter{
		Event: q.ref("event"), From: q.date("from"), To: q.date("to"), Tags: q.tags("tag"),
		Quote: q.bool("quote"), Q: q.one("q"), Sort: q.one("sort"), Limit: q.int("limit"), Cursor: q.one("cursor"),
		Include: statementInclude(q),
		Sources: q.refs("source"), Supports: claims(q, "supports", models.StatementClaims),
	}
	if withSpeaker {
		f.Speakers, f.SpeaksFor = q.refs("speaker"), q.refs("speaks_for")
	}
	return f, q.err()
}

// statementIncludes are the values of a statement list's include.
var statementIncludes = []string{"speaker", "event", "sources"}

// statementInclude reads include: what statements embed.
func statementInclude(q *query) store.StatementInclude {
	var inc store.StatementInclude
	for _, s := range q.strings("include") {
		switch s {
		case "speaker":
			inc.Speaker = true
		case "event":
			inc.Event = true
		case "sources":
			inc.Sources = true
		default:
			q.v.Add("include", "%q is not one of %s", s, strings.Join(statementIncludes, ", "))
		}
	}
	return inc
}

// List godoc
//
//	@Summary		List and filter statements
//	@ID			listStatements
//	@Tags			statements
//	@Produce		json
//	@Description	speaker matches only what an actor said itself: a statement the source attributes to an unnamed person ("a TASS source") has no speaker, and is found by speaks_for, the organisation that person speaks for.
//	@Param			speaker	query		[]string	false	"Speaker id or slug: what these actors said themselves (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			speaks_for	query		[]string	false	"Organisation id or slug: what unnamed people speaking for it said, e.g. \"a TASS source\" (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			event	query		string		false	"Event id or slug"
//	@Param			from	query		string		false	"Overlaps from this date (EDTF or ISO 8601)"
//	@Param			to		query		string		false	"Overlaps up to this date"
//	@Param			tag		query		[]string	false	"Tag; all given must be present (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			quote	query		bool		false	"Only direct quotes (true) or paraphrases (false)"
//	@Param			source	query		[]string	false	"Cited source id or slug (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			supports	query		[]string	false	"Narrow to what a source (those of source, or any) has evidence for: one of text, speaker, attribution, date, event, medium (repeatable, at most 50 values)"	collectionFormat(multi)
//	@Param			q		query		string		false	"Full-text search over text and attribution: words, \"quoted phrases\", -excluded, or"
//	@Param			sort	query		string		false	"Sort order; relevance needs q"	Enums(date, -date, updated, -updated, relevance)	default(date)
//	@Param			limit	query		int			false	"Page size (1-500)"	default(50)	minimum(1)	maximum(500)
//	@Param			cursor	query		string		false	"Opaque cursor from the previous page"
//	@Param			include	query		[]string	false	"Embed related entities: the speaker (actor) and the organisation an unnamed speaker speaks for, the event (with its participants) and the sources, read once per page whatever its size"	collectionFormat(csv)	Enums(speaker, event, sources)
//	@Success		200		{object}	List[models.Statement]
//	@Failure		400		{object}	Problem
//	@Router			/api/v1/statements [get]
func (h *Statements) List(c *gin.Context) {
	f, err := statementFilter(c, true)
	if err != nil {
		Fail(c, err)
		return
	}
	p, err := h.store.ListStatements(c.Request.Context(), f)
	if err != nil {
		Fail(c, err)
		return
	}
	respondList(c, p)
}

// Create godoc
//
//	@Summary		Create a statement
//	@ID			createStatement
//	@Description	A speaker the source does not name ("a White House official") is no speaker_id but an attribution, with the organisation they speak for as speaks_for_id. A statement needs a speaker_id or an attribution (else 422).
//	@Tags			statements
//	@Accept			json
//	@Produce		json
//	@Param			statement	body		Create[models.Statement]	true	"The statement: its writable members (the server sets id unless given, version and timestamps)"
//	@Success		201			{object}	models.Statement
//	@Failure		400			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Router			/api/v1/statements [post]
func (h *Statements) Create(c *gin.Context) { h.crud.doCreate(c) }

// Get godoc
//
//	@Summary	Get a statement
//	@ID			getStatement
//	@Tags		statements
//	@Produce	json
//	@Param		id	path		string	true	"Statement id"
//	@Success	200	{object}	models.Statement
//	@Failure	404	{object}	Problem
//	@Param		at	query	string	false	"RFC 3339 time: the entity as it was then, from its revisions (404 before it existed or after its deletion)"
//	@Param		If-None-Match	header	string	false	"ETag held: 304 when the entity has not changed"
//	@Success		304	"Not modified"
//	@Failure		400	{object}	Problem
//	@Router		/api/v1/statements/{id} [get]
func (h *Statements) Get(c *gin.Context) { h.crud.doGet(c) }

// Replace godoc
//
//	@Summary	Replace a statement
//	@ID			replaceStatement
//	@Tags		statements
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string				true	"Statement id"
//	@Param		If-Match	header		string				true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		statement	body		Replace[models.Statement]	true	"The whole new state: every writable member (one left out is emptied; the slug is kept)"
//	@Success	200			{object}	models.Statement
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/statements/{id} [put]
func (h *Statements) Replace(c *gin.Context) { h.crud.doReplace(c) }

// Patch godoc
//
//	@Summary	Update a statement with a JSON merge patch (RFC 7396)
//	@ID			patchStatement
//	@Tags		statements
//	@Accept		json
//	@Produce	json
//	@Param		id			path		string				true	"Statement id"
//	@Param		If-Match	header		string				true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Param		patch		body		Patch[models.Statement]	true	"The members to change (a JSON merge patch: null removes a member, an array is replaced whole)"
//	@Success	200			{object}	models.Statement
//	@Failure	400			{object}	Problem
//	@Failure	404			{object}	Problem
//	@Failure	412			{object}	Problem
//	@Failure	422			{object}	Problem
//	@Failure		428	{object}	Problem
//	@Failure		415	{object}	Problem
//	@Router		/api/v1/statements/{id} [patch]
func (h *Statements) Patch(c *gin.Context) { h.crud.doPatch(c) }

// Delete godoc
//
//	@Summary	Delete a statement
//	@ID			deleteStatement
//	@Tags		statements
//	@Produce	json
//	@Param		id			path	string	true	"Statement id"
//	@Param		If-Match	header	string	true	"ETag of the version read (a stale one gets 412), or * to overwrite; without it, 428"
//	@Success	204
//	@Failure	404	{object}	Problem
//	@Failure	412	{object}	Problem
//	@Failure		428	{object}	Problem
//	@Router		/api/v1/statements/{id} [delete]
func (h *Statements) Delete(c *gin.Context) { h.crud.doDelete(c) }

// Revisions godoc
//
//	@Summary		History of an entity
//	@ID			listStatementRevisions
//	@Description	Every change, oldest first: who, when, which action, and the whole state after it (before it, for a deletion). A deleted entity's history stays readable by id.
//	@Tags			revisions
//	@Produce		json
//	@Param			id		path		string	true	"Id (or slug while the entity exists)"
//	@Param			limit	query		int		false	"Page size (1-500)"	default(50)
//	@Param			cursor	query		string	false	"Opaque cursor"
//	@Success		200		{object}	List[models.Revision]
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Router			/api/v1/statements/{id}/revisions [get]
func (h *Statements) Revisions(c *gin.Context) { h.crud.doRevisions(c) }
