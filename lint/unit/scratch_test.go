package unit

import (
	"fmt"
	"os"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

func TestScratch(t *testing.T) {
	data, _ := os.ReadFile(os.Getenv("DOC"))
	f := source.NewFile("doc.json", data)
	c, probs := Parse(f)
	for _, p := range probs {
		l, col := f.Position(p.Span.Start)
		fmt.Printf("PARSE %d:%d %s\n", l, col, p.Message)
	}
	for _, p := range Validate(c) {
		l, col := f.Position(p.Span.Start)
		fmt.Printf("SCHEMA %d:%d [%s] %s  {%s}\n", l, col, p.Pointer, p.Message, p.Span.Text())
	}
}
