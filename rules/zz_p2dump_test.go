package rules

import (
	"fmt"
	"os"
	"testing"
)

func TestP2Dump(t *testing.T) {
	for _, r := range All {
		if os.Getenv("P2ID") != "" && os.Getenv("P2ID") != r.ID {
			continue
		}
		fmt.Printf("######## %s %s\n--- Bad\n%s--- Good\n%s", r.ID, r.Name, r.Doc.Bad, r.Doc.Good)
	}
}
