package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/web"
)

// ViewerCSP is the Content-Security-Policy of the viewer's pages: everything from the
// page's own origin and nothing else; no inline script or style, no plugins, no framing.
// (The libraries set element.style from script, which CSP allows; none needs
// 'unsafe-inline'.)
const ViewerCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// viewerAsset is one file of the viewer, read once per process; its gzip form is made
// on the first request that takes it.
type viewerAsset struct {
	body, gz    []byte
	etag, gzTag string
	ctype       string
	page        bool // an HTML document: gets ViewerCSP
	zip         bool // worth compressing
	once        sync.Once
}

// gzipped is the gzip form of the file (nil when compressing failed or is not worth it).
func (a *viewerAsset) gzipped() []byte {
	a.once.Do(func() {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return
		}
		if _, err := zw.Write(a.body); err != nil {
			return
		}
		if zw.Close() == nil {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

// viewerFiles are the built viewer's files, read once: every server of the process
// shares them.
var viewerFiles = sync.OnceValues(func() (map[string]*viewerAsset, error) { return loadViewer(web.Assets()) })

// viewerTypes are the content types Go's mime table may lack (fonts); with nosniff a
// wrong type would stop the browser using the file.
var viewerTypes = map[string]string{
	".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
	".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain; charset=utf-8",
	".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
}

// loadViewer reads every file of the built viewer.
func loadViewer(files fs.FS) (map[string]*viewerAsset, error) {
	assets := map[string]*viewerAsset{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		ext := path.Ext(name)
		ctype := viewerTypes[ext]
		if ctype == "" {
			ctype = mime.TypeByExtension(ext)
		}
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		sum := sha256.Sum256(body)
		tag := hex.EncodeToString(sum[:12])
		assets[name] = &viewerAsset{body: body, etag: `"` + tag + `"`, gzTag: `"` + tag + `-gz"`, ctype: ctype, page: ext == ".html",
			zip: len(body) > 1024 && ctype != "image/png" && !strings.HasPrefix(ctype, "font/woff")}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("viewer assets: %w", err)
	}
	if assets["index.html"] == nil {
		return nil, fmt.Errorf("viewer assets: no index.html (build web/ with npm run build)")
	}
	return assets, nil
}

// mountViewer serves the timeline viewer (package web) at /: the page, the TimelineJS
// page, and their files under /assets/ and /timelinejs/. Files carry an ETag and
// no-cache (their names have no content hash, so the browser revalidates), and go out
// gzipped to clients that accept it.
func mountViewer(r *gin.Engine) error {
	assets, err := viewerFiles()
	if err != nil {
		return err
	}
	serve := func(c *gin.Context, name string) {
		a := assets[name]
		if a == nil {
			writeProblem(c, models.Errorf(models.ENOTFOUND, "no such file: %s", c.Request.URL.Path))
			return
		}
		h := c.Writer.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("Cache-Control", "no-cache")
		if a.page {
			h.Set("Content-Security-Policy", ViewerCSP)
		}
		body, tag := a.body, a.etag
		if a.zip {
			h.Add("Vary", "Accept-Encoding")
			if gz := a.gzipped(); gz != nil && acceptsGzip(c.Request) {
				body, tag = gz, a.gzTag
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("ETag", tag)
		http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(body))
	}
	r.GET("/", func(c *gin.Context) { serve(c, "index.html") })
	for _, name := range []string{"timelinejs.html", "favicon.svg"} {
		r.GET("/"+name, func(c *gin.Context) { serve(c, name) })
	}
	for _, dir := range []string{"assets", "timelinejs"} {
		r.GET("/"+dir+"/*file", func(c *gin.Context) { serve(c, dir+c.Param("file")) })
	}
	return nil
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip (with a q-value
// above zero).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(params), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return false
}
