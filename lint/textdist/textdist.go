// Package textdist measures how far apart two short strings are, for the
// "did you mean ..." suggestions of rules, the Unit schema messages,
// suppressions and the configuration file. It is a leaf package.
package textdist

// maxLen bounds the inputs: suggestions are for names and keys, and a
// hostile input must not cost quadratic time.
const maxLen = 256

// Distance is the optimal-string-alignment form of the Damerau-Levenshtein
// distance (insertions, deletions, substitutions, adjacent transpositions)
// on bytes. It returns max+1 as soon as the distance must exceed max, and
// for inputs longer than 256 bytes.
func Distance(a, b string, max int) int {
	la, lb := len(a), len(b)
	if la > maxLen || lb > maxLen {
		return max + 1
	}
	prev2 := make([]int, lb+1)
	prev := make([]int, lb+1)
	cur := make([]int, lb+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}
