// Package web holds parley's timeline viewer, the page served at /: its sources (src/,
// index.html, timelinejs.html), built by Vite into dist/ from the npm packages pinned in
// package-lock.json. dist/ is committed and embedded here, so the binary serves the
// page without Node; CI rebuilds it and fails when the committed build is stale.
package web

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "_" or ".", which Vite may write.
//
//go:embed all:dist
var dist embed.FS

// Assets is the built viewer: index.html, timelinejs.html, favicon.svg, assets/ (the
// bundles) and timelinejs/ (Knight Lab TimelineJS as its package ships it).
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path: fs.Sub cannot fail on it
	}
	return sub
}
