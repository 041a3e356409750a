package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/parley-api/parley/docs"
	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/seed"
)

// The API documents. swag writes a Swagger 2 document from the handlers' annotations
// (docs/); from it the server derives, once per access policy, the two it publishes:
// Swagger 2 at /swagger/doc.json and OpenAPI 3 at /openapi.json. The derivation adds
// what annotations cannot say, or should not repeat, from the code that decides it:
//
//   - the bearer scheme, each operation's security and its 401, 403 and 429 answers,
//     from requiredScope, the access policy the middleware enforces;
//   - the create, replace and patch bodies of every kind, from its members as a body
//     takes them (models.Members), with the members its Validate requires and an
//     example from the built-in dataset;
//   - the cap on repeatable query parameters (handlers.MaxValues), Idempotency-Key on
//     the creates that take it, the tags of models.Kinds;
//   - in OpenAPI 3 only, which Swagger 2 cannot express: problem+json as the media type
//     of errors, the bearer scheme as HTTP bearer, and one schema per media type and
//     format of /export, /timeline and /graph, from the format registry.
//
// The OpenAPI 3 document is the Swagger 2 one converted, then refined, so that whatever
// both say is derived once.

// documents are the two published documents, rendered.
type documents struct {
	swagger2, openapi3 []byte
}

// publishedDocuments builds the documents once per access policy (public or private
// reads), not once per server: the tests build hundreds.
var publishedDocuments = [2]func() (*documents, error){
	sync.OnceValues(func() (*documents, error) { return buildDocuments(false) }),
	sync.OnceValues(func() (*documents, error) { return buildDocuments(true) }),
}

func documentsFor(privateReads bool) (*documents, error) {
	if privateReads {
		return publishedDocuments[1]()
	}
	return publishedDocuments[0]()
}

// OpenAPI3 returns the OpenAPI 3 document served at /openapi.json (with public reads).
func OpenAPI3() ([]byte, error) {
	d, err := documentsFor(false)
	if err != nil {
		return nil, err
	}
	return d.openapi3, nil
}

// swaggerDoc is the generated Swagger 2 document, rendered once: swag's ReadDoc writes to
// the shared docs.SwaggerInfo, so servers built or serving at once would race on it.
var swaggerDoc = sync.OnceValue(func() string { return docs.SwaggerInfo.ReadDoc() })

func buildDocuments(privateReads bool) (*documents, error) {
	var v2 openapi2.T
	if err := json.Unmarshal([]byte(swaggerDoc()), &v2); err != nil {
		return nil, fmt.Errorf("openapi: swag's document: %w", err)
	}
	if err := describeV2(&v2, privateReads); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	b2, err := json.Marshal(&v2)
	if err != nil {
		return nil, err
	}
	v3, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return nil, fmt.Errorf("openapi: converting to OpenAPI 3: %w", err)
	}
	if err := refineV3(v3); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	b3, err := json.Marshal(v3)
	if err != nil {
		return nil, err
	}
	return &documents{swagger2: b2, openapi3: b3}, nil
}

// bearerScheme names the security scheme of API keys in both documents.
const bearerScheme = "bearer"

// keyHelp says where a key comes from, in the scheme's description.
const keyHelp = "An API key made with `parley keys create --name NAME --scope write` (or POST /api/v1/keys with an admin key). " +
	"Reads are public unless the server runs with PARLEY_PUBLIC_READ=false; writes need the write scope, imports and key management admin."

// pathParam matches an OpenAPI path parameter, {id}, to turn it into gin's :id.
var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// ginRoute is the gin route of an OpenAPI path.
func ginRoute(path string) string { return pathParam.ReplaceAllString(path, ":$1") }

// problemV2 is a Swagger 2 error response: a problem body.
func problemV2(desc string) *openapi2.Response {
	return &openapi2.Response{Description: desc, Schema: &openapi2.SchemaRef{Ref: "#/definitions/handlers.Problem"}}
}

// describeV2 adds to swag's document what both published documents say.
func describeV2(doc *openapi2.T, privateReads bool) error {
	// swag writes "host": "" without @host, which Swagger 2 forbids; openapi2.T leaves an
	// empty host out, and no host means the one the document came from.
	doc.SecurityDefinitions = map[string]*openapi2.SecurityScheme{bearerScheme: {
		Type: "apiKey", In: "header", Name: "Authorization",
		Description: keyHelp + " Swagger 2 has no bearer scheme: enter `Bearer ` and the key.",
	}}
	tags := openapi3.Tags{}
	for _, k := range models.Kinds {
		tags = append(tags, &openapi3.Tag{Name: k.Plural, Description: k.About})
	}
	for _, t := range doc.Tags {
		if tags.Get(t.Name) == nil {
			tags = append(tags, t)
		}
	}
	doc.Tags = tags
	bodies, err := requestBodies(doc)
	if err != nil {
		return err
	}
	for path, item := range doc.Paths {
		route := ginRoute(path)
		for method, op := range item.Operations() {
			if op.Responses == nil {
				op.Responses = openapi2.NewResponsesWithCapacity(8)
			}
			for _, p := range op.Parameters {
				switch {
				case p.In == "query" && p.Type.Is("array"):
					p.MaxItems = openapi3.Ptr(uint64(handlers.MaxValues))
				case p.In == "body" && p.Schema != nil && bodies[p.Schema.Ref] != "":
					p.Schema = &openapi2.SchemaRef{Ref: bodies[p.Schema.Ref]}
				}
			}
			if at, ok := formatPlaces[route]; ok && method == http.MethodGet {
				op.Produces = mediaTypes(at)
			}
			// A key is checked whenever one is sent: a bad one is a 401 anywhere.
			op.Responses.Set("401", problemV2("Missing, malformed, unknown or revoked API key (a key sent is checked even where none is needed)"))
			if !strings.HasPrefix(route, "/api/") {
				// Health and metrics: open to anyone, never limited.
				op.Security = &openapi2.SecurityRequirements{}
				continue
			}
			op.Responses.Set("429", problemV2("Over the rate limit, or too many requests of this client running: see Retry-After"))
			// Every endpoint reads its query strictly: an unknown parameter is a 400.
			if op.Responses.Value("400") == nil {
				op.Responses.Set("400", problemV2("Invalid request parameters (an unknown parameter, a value over its cap)"))
			}
			if k := redirectKind(method, route); k != nil {
				op.Responses.Set("308", &openapi2.Response{
					Description: "The " + k.Name + " was merged into another: Location is the same path under the survivor (query kept)",
					Headers:     map[string]*openapi2.Header{"Location": {Parameter: openapi2.Parameter{Type: &openapi3.Types{openapi3.TypeString}, Description: "The survivor's URL"}}},
				})
			}
			op.Responses.Set("503", problemV2("The database is busy (conflicting writes, an import) or unavailable, the server is at capacity, or the request ran out of time: retry after Retry-After seconds"))
			if method == http.MethodPost && idempotentRoutes[route] {
				op.Parameters = append(op.Parameters, &openapi2.Parameter{
					In: "header", Name: "Idempotency-Key", Type: &openapi3.Types{openapi3.TypeString},
					MinLength: 1, MaxLength: openapi3.Ptr(uint64(255)),
					Description: "Makes the create safe to retry: a retry with the same key and body gets the first answer (marked Idempotency-Replayed: true) for 24 hours; the key with another body is a 422, a retry while the first runs a 409",
				})
			}
			switch need := requiredScope(method, route, privateReads); need {
			case "":
				// Public: a key is optional (and checked when sent).
				op.Security = &openapi2.SecurityRequirements{{}, {bearerScheme: {}}}
			default:
				op.Security = &openapi2.SecurityRequirements{{bearerScheme: {}}}
				op.Extensions = withExtension(op.Extensions, "x-parley-scope", string(need))
				if need != models.ScopeRead {
					op.Responses.Set("403", problemV2("The key's scope is below "+string(need)))
				}
				if !strings.Contains(op.Description, "scope") {
					op.Description = strings.TrimSpace(op.Description + " Needs a key with the " + string(need) + " scope.")
				}
			}
		}
	}
	return nil
}

func withExtension(ext map[string]any, name string, v any) map[string]any {
	if ext == nil {
		ext = map[string]any{}
	}
	ext[name] = v
	return ext
}

// refineV3 says in the converted document what Swagger 2 could not.
func refineV3(doc *openapi3.T) error {
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{bearerScheme: &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().
		WithBearerFormat("parley API key").WithDescription(keyHelp + " Send it as `Authorization: Bearer parley_…`.")}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, resp := range op.Responses.Map() {
				if resp.Value == nil || len(code) != 3 {
					continue
				}
				if code[0] == '2' {
					// A success is its own schema only, never a problem.
					delete(resp.Value.Content, ProblemContentType)
					continue
				}
				// Errors are problem+json, whatever else the operation produces.
				for _, mt := range resp.Value.Content {
					if mt.Schema != nil && strings.HasSuffix(mt.Schema.Ref, "/handlers.Problem") {
						resp.Value.Content = openapi3.Content{ProblemContentType: mt}
						break
					}
				}
			}
			if at, ok := formatPlaces[ginRoute(path)]; ok && method == http.MethodGet {
				if err := formatResponses(doc, op, at); err != nil {
					return fmt.Errorf("GET %s: %w", path, err)
				}
			}
		}
	}
	return nil
}

// formatPlaces are the routes whose answer is in the format their format parameter names.
var formatPlaces = map[string]formats.Endpoint{
	"/api/v1/export":   formats.AtExport,
	"/api/v1/timeline": formats.AtTimeline,
	"/api/v1/graph":    formats.AtGraph,
}

// mediaTypes lists the media types of the formats offered at a place, without parameters.
func mediaTypes(at formats.Endpoint) []string {
	var out []string
	for _, f := range formats.Formats(at) {
		if mt := baseMediaType(f.MediaType); !slices.Contains(out, mt) {
			out = append(out, mt)
		}
	}
	return out
}

func baseMediaType(s string) string {
	mt, _, err := mime.ParseMediaType(s)
	if err != nil {
		return s
	}
	return mt
}

// formatResponses gives the 200 answer of a place one entry per media type of its
// formats, each with the schema of the documents in that media type (anyOf when two
// formats share one, as the JSON timelines do).
func formatResponses(doc *openapi3.T, op *openapi3.Operation, at formats.Endpoint) error {
	resp := op.Responses.Status(http.StatusOK)
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("no 200 response")
	}
	content := openapi3.Content{}
	var says []string
	for _, f := range formats.Formats(at) {
		schema, name, err := formatSchema(doc, f, at)
		if err != nil {
			return fmt.Errorf("format %s: %w", f.Name, err)
		}
		mt := baseMediaType(f.MediaType)
		says = append(says, fmt.Sprintf("format=%s: %s, %s", f.Name, mt, name))
		cur := content[mt]
		switch {
		case cur == nil:
			content[mt] = openapi3.NewMediaType().WithSchemaRef(schema)
		case cur.Schema.Ref == "" && len(cur.Schema.Value.AnyOf) > 0:
			cur.Schema.Value.AnyOf = append(cur.Schema.Value.AnyOf, schema)
		default:
			cur.Schema = &openapi3.SchemaRef{Value: &openapi3.Schema{AnyOf: openapi3.SchemaRefs{cur.Schema, schema}}}
		}
	}
	resp.Value.Content = content
	desc := "The document in the format asked for: " + strings.Join(says, "; ") + "."
	resp.Value.Description = &desc
	return nil
}

// formatSchema is the schema of format f's documents at a place, and a name for it.
func formatSchema(doc *openapi3.T, f formats.Format, at formats.Endpoint) (*openapi3.SchemaRef, string, error) {
	ref := func(t reflect.Type) (*openapi3.SchemaRef, string, error) {
		name := schemaName(t)
		if doc.Components.Schemas[name] == nil {
			return nil, "", fmt.Errorf("the schema %s is not in the document: name %s in an @Success line of the handler's annotations", name, name)
		}
		return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name}, name, nil
	}
	switch {
	case at == formats.AtTimeline && f.Timeline == nil:
		// The API's own page of events (respondList).
		return ref(reflect.TypeFor[handlers.List[models.Event]]())
	case f.Timeline != nil:
		return ref(reflect.TypeOf(f.Timeline(nil, formats.TimelineOptions{})))
	case f.Graph != nil:
		d := f.Graph(&models.Graph{})
		if _, ok := d.(formats.WriteFunc); ok {
			return described(openapi3.NewStringSchema(), "A "+f.Name+" document (."+f.Extension+")"), "a " + f.Name + " document", nil
		}
		return ref(reflect.TypeOf(d))
	}
	// A streamed export: events, one after another, in the format's own syntax.
	switch mt := baseMediaType(f.MediaType); {
	case mt == "application/json":
		if doc.Components.Schemas["models.Event"] == nil {
			return nil, "", fmt.Errorf("no models.Event schema")
		}
		s := openapi3.NewArraySchema()
		s.Items = &openapi3.SchemaRef{Ref: "#/components/schemas/models.Event"}
		return s.NewRef(), "an array of models.Event", nil
	case mt == "application/x-ndjson":
		return described(openapi3.NewStringSchema(), "One models.Event (JSON) per line"), "one models.Event per line", nil
	case strings.HasSuffix(mt, "+json"):
		return described(openapi3.NewObjectSchema(), "A "+f.Name+" document"), "a " + f.Name + " document", nil
	default:
		return described(openapi3.NewStringSchema(), f.Name+" text"), f.Name + " text", nil
	}
}

// described sets s's description and refers to it.
func described(s *openapi3.Schema, desc string) *openapi3.SchemaRef {
	s.Description = desc
	return s.NewRef()
}

// schemaName is swag's name for the definition of Go type t: package.Type, a generic's
// arguments joined with "-" (handlers.List-models_Event).
func schemaName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
	name := t.Name()
	if i := strings.Index(name, "["); i >= 0 {
		args := name[i+1 : len(name)-1]
		name = name[:i] + "-" + strings.NewReplacer(".", "_").Replace(args[strings.LastIndex(args, "/")+1:])
	}
	return pkg + "." + name
}

// Request bodies.

// bodyMarker matches swag's definitions of handlers.Create, Replace and Patch.
var bodyMarker = regexp.MustCompile(`^handlers\.(Create|Replace|Patch)-models_(\w+)$`)

// requestBodies replaces swag's empty definitions of handlers.Create[T], Replace[T] and
// Patch[T] by T's request schemas (TCreate, TReplace, TPatch), adds the schemas of their
// nested objects (ParticipantInput), and returns the new reference of each old one.
func requestBodies(doc *openapi2.T) (map[string]string, error) {
	examples, err := seedExamples()
	if err != nil {
		return nil, err
	}
	moved := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(doc.Definitions)) {
		m := bodyMarker.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		verb, typeName := m[1], m[2]
		i := slices.IndexFunc(models.Kinds, func(k *models.Kind) bool { return entityType(k).Name() == typeName })
		if i < 0 {
			return nil, fmt.Errorf("%s: %s is not a kind of entity (models.Kinds)", name, typeName)
		}
		k := models.Kinds[i]
		b := &bodyBuilder{doc: doc, required: requiredMembers(k)}
		s, err := b.object(entityType(k), verb == "Patch")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.Description = bodyAbout(k, verb)
		if o, ok := k.New().(models.OneRequired); ok && verb != "Patch" {
			// Either-or members, which a schema's required list cannot say.
			s.Description += " At least one of " + strings.Join(o.OneRequired(), ", ") + " is required."
			s.Extensions = withExtension(s.Extensions, "x-parley-one-required", o.OneRequired())
		}
		s.Example = examples[k].forVerb(verb)
		delete(doc.Definitions, name)
		doc.Definitions[typeName+verb] = &openapi2.SchemaRef{Value: s}
		moved["#/definitions/"+name] = "#/definitions/" + typeName + verb
	}
	return moved, nil
}

func entityType(k *models.Kind) reflect.Type { return reflect.TypeOf(k.New()).Elem() }

func bodyAbout(k *models.Kind, verb string) string {
	slug := ""
	if k.Slug {
		slug = " `slug` is derived when left out."
	}
	switch verb {
	case "Create":
		return "The members a client writes to create " + article(k.Name) + ". `id` is optional: a UUID the client chooses (the server makes one otherwise)." +
			slug + " References (`…_id`, `…_ids`) take an id or a slug. The version and timestamps are the server's (ignored if sent); embedded entities (include=) are refused."
	case "Replace":
		return "The whole new state of " + article(k.Name) + ": a member left out is emptied" +
			map[bool]string{true: " (the slug is kept)", false: ""}[k.Slug] + ". `id`, when given, must be the " + k.Name + "'s own."
	}
	return "A JSON merge patch (RFC 7396) of " + article(k.Name) + ": the members to change. null removes an optional member; an array is replaced whole."
}

func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// bodyBuilder makes request schemas from Go types and swag's response schemas.
type bodyBuilder struct {
	doc *openapi2.T
	// required names the required members of each object type (requiredMembers).
	required map[reflect.Type][]string
}

// object is the request schema of struct type t: its writable members, with the
// property schemas swag wrote for its responses, nested objects as their own input
// schemas and dates as EDTF strings; without required members and with optional ones
// nullable when patch.
func (b *bodyBuilder) object(t reflect.Type, patch bool) (*openapi2.Schema, error) {
	src := b.doc.Definitions[schemaName(t)]
	if src == nil || src.Value == nil {
		return nil, fmt.Errorf("no definition %s", schemaName(t))
	}
	required := b.required[t]
	s := &openapi2.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Properties: openapi2.Schemas{},
		AdditionalProperties: openapi3.AdditionalProperties{Has: openapi3.Ptr(false)}}
	for _, m := range models.Members(t) {
		switch {
		case m.Embedded:
			continue
		case m.ReadOnly:
			p := src.Value.Properties[m.Name]
			if p == nil || p.Value == nil {
				return nil, fmt.Errorf("%s.%s: not in swag's definition", schemaName(t), m.Name)
			}
			c := *p.Value
			c.ReadOnly = true
			c.Description = "Set by the server: ignored in a body (which may hold it, as an entity read and sent back does)"
			s.Properties[m.Name] = &openapi2.SchemaRef{Value: &c}
			continue
		}
		p, err := b.property(m, src.Value.Properties[m.Name])
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", schemaName(t), m.Name, err)
		}
		if patch && !slices.Contains(required, m.Name) {
			p = nullable(p)
		}
		s.Properties[m.Name] = p
	}
	if !patch {
		s.Required = required
	}
	return s, nil
}

// property is the request schema of member m, whose response schema is resp.
func (b *bodyBuilder) property(m models.Member, resp *openapi2.SchemaRef) (*openapi2.SchemaRef, error) {
	if resp == nil {
		return nil, fmt.Errorf("not in swag's definition")
	}
	t, depth := m.Type, 0
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			depth++
		}
		t = t.Elem()
	}
	var elem *openapi2.SchemaRef
	switch {
	case t == reflect.TypeFor[models.Date]():
		elem = &openapi2.SchemaRef{Value: &openapi2.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "edtf", Example: "2026-01-23",
			Description: "An EDTF date at the precision the source gives: 2026-01-23, 2025-08, 2025-08~ (approximate), 2026-01-23/2026-01-24 (the date object the API answers with is accepted too)"}}
	case t == reflect.TypeFor[models.ID]():
		elem = &openapi2.SchemaRef{Value: &openapi2.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "uuid"}}
	case t == reflect.TypeFor[models.Ref]():
		elem = &openapi2.SchemaRef{Value: &openapi2.Schema{Type: &openapi3.Types{openapi3.TypeString}, Description: "An id, or a slug"}}
	case models.Nested(t):
		name := t.Name() + "Input"
		if b.doc.Definitions[name] == nil {
			s, err := b.object(t, false)
			if err != nil {
				return nil, err
			}
			b.doc.Definitions[name] = &openapi2.SchemaRef{Value: s}
		}
		elem = &openapi2.SchemaRef{Ref: "#/definitions/" + name}
	default:
		return resp, nil
	}
	for range depth {
		elem = &openapi2.SchemaRef{Value: &openapi2.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: elem}}
	}
	return elem, nil
}

// nullable marks a member that a merge patch may set to null.
func nullable(p *openapi2.SchemaRef) *openapi2.SchemaRef {
	if p.Ref != "" {
		// Every definition a member refers to is an object (dates and references are
		// strings inline); nullable needs a type beside it in OpenAPI 3.0.
		p = &openapi2.SchemaRef{Value: &openapi2.Schema{Type: &openapi3.Types{openapi3.TypeObject}, AllOf: openapi2.SchemaRefs{p}}}
	} else {
		c := *p.Value
		p = &openapi2.SchemaRef{Value: &c}
	}
	p.Value.Extensions = withExtension(maps.Clone(p.Value.Extensions), "x-nullable", true)
	return p
}

// requiredMembers finds, for kind k's type and the object types it nests, the members
// that Validate requires: those it finds fault with in an empty entity (and in an
// empty element of each list of objects).
func requiredMembers(k *models.Kind) map[reflect.Type][]string {
	out := map[reflect.Type][]string{}
	t := entityType(k)
	// The store derives the slug of a kind that has one when it is left out.
	out[t] = slices.DeleteFunc(faulted(k.New(), ""), func(m string) bool { return k.Slug && m == "slug" })
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Slice || !models.Nested(f.Type.Elem()) || f.Tag.Get("json") == "-" {
			continue
		}
		e := k.New()
		s := reflect.ValueOf(e).Elem().Field(i)
		s.Set(reflect.Append(s, reflect.Zero(f.Type.Elem())))
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[f.Type.Elem()] = faulted(e, name+"[0].")
	}
	return out
}

// faulted lists the members under prefix that e's Validate names, in order.
func faulted(e models.Entity, prefix string) []string {
	var out []string
	var me *models.Error
	if err := e.Validate(); !errors.As(err, &me) {
		return nil
	}
	for _, f := range me.Fields {
		rest, ok := strings.CutPrefix(f.Field, prefix)
		if !ok || rest == "" {
			continue
		}
		name := rest[:strings.IndexAny(rest+".[", ".[")]
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// Examples.

// example is a kind's example body: the writable members of a record of the built-in
// dataset, less its id and slug, so that it can be sent as it is to a server holding
// the dataset (the references it names exist there) and create a new entity.
type example struct {
	create map[string]any
	// order lists create's members in the type's order, for a body that reads as one
	// would write it (title first, not alphabetically).
	order []string
	// patchName is the first optional member of create.
	patchName string
}

func (e example) forVerb(verb string) any {
	if e.create == nil {
		return nil
	}
	if verb == "Patch" && e.patchName != "" {
		return orderedJSON([]string{e.patchName}, e.create)
	}
	return orderedJSON(e.order, e.create)
}

// orderedJSON is the JSON object of m's members in the given order.
func orderedJSON(order []string, m map[string]any) json.RawMessage {
	var b strings.Builder
	b.WriteByte('{')
	for i, name := range order {
		k, _ := json.Marshal(name)
		v, _ := json.Marshal(m[name])
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

// fallbackExamples are the records, as a JSON list, that show a kind the built-in
// dataset does not hold yet.
var fallbackExamples = map[*models.Kind]string{
	models.KindOutlet: `[{"slug":"meduza","name":"Meduza","country":"LV","language":"ru","state_owned":false,
		"url":"https://meduza.io","aliases":["Медуза"],"external_ids":{"wikidata":"Q19885935"}}]`,
}

// seedExamples picks, for each kind, the record of the built-in dataset with the most
// members set; a kind the dataset lacks has no example.
func seedExamples() (map[*models.Kind]example, error) {
	f, err := seed.Dataset()
	if err != nil {
		return nil, err
	}
	out := map[*models.Kind]example{}
	fv := reflect.ValueOf(f).Elem()
	for _, k := range models.Kinds {
		t := entityType(k)
		var records reflect.Value
		for i := range fv.NumField() {
			if fv.Field(i).Type() == reflect.SliceOf(t) {
				records = fv.Field(i)
			}
		}
		if (!records.IsValid() || records.Len() == 0) && fallbackExamples[k] != "" {
			records = reflect.New(reflect.SliceOf(t))
			if err := models.DecodeStrict(strings.NewReader(fallbackExamples[k]), records.Interface()); err != nil {
				return nil, fmt.Errorf("the example %s: %w", k.Name, err)
			}
			records = records.Elem()
		}
		if !records.IsValid() {
			continue // no example (TestRequestBodiesMatchDecoding asks for one)
		}
		required := requiredMembers(k)[t]
		best, bestScore := example{}, -1
		for i := range records.Len() {
			ex, score, err := exampleOf(records.Index(i).Addr().Interface(), t, required)
			if err != nil {
				return nil, fmt.Errorf("%s %d of the dataset: %w", k.Name, i, err)
			}
			if score > bestScore {
				best, bestScore = ex, score
			}
		}
		out[k] = best
	}
	return out, nil
}

// exampleOf makes an example of record, scoring it by the members and list elements it sets.
func exampleOf(record any, t reflect.Type, required []string) (example, int, error) {
	b, err := json.Marshal(record)
	if err != nil {
		return example{}, 0, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return example{}, 0, err
	}
	ex, score := example{create: map[string]any{}}, 0
	for _, m := range models.Members(t) {
		v, ok := doc[m.Name]
		if !m.Writable() || m.Name == "id" || m.Name == "slug" || !ok || empty(v) {
			continue
		}
		if d, ok := v.(map[string]any); ok && m.Type == reflect.TypeFor[models.Date]() {
			v = d["edtf"]
		}
		ex.create[m.Name] = v
		ex.order = append(ex.order, m.Name)
		score += 10
		if l, ok := v.([]any); ok {
			score += len(l)
		}
		if ex.patchName == "" && !slices.Contains(required, m.Name) {
			ex.patchName = m.Name
		}
	}
	return ex, score, nil
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
