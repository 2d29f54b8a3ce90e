# Input: shell code as `declare -f` prints it (comments gone, one
# command per line).  Output: every word at a command position, one per
# line.  Skipped: the commands run in the build root (the rest of the
# simple command after inroot, inroot_kp, root_apt or chroot), heredoc bodies other
# than a shell's script, arithmetic.  Code inside sh/bash -c strings,
# $(...), (...) and a shell's heredoc is read as code.
function push(k, e) { d++; K[d] = k; E[d] = e; SW[d] = w; SC[d] = cmd; w = "" }
function pop() { w = SW[d] "$X"; cmd = SC[d]; d-- }
function endcmd() { flush(); cmd = 1; pre = ""; cname = ""; lastw = ""
	if (skip && d <= skipd) skip = 0 }
function flush(   x, isassign) {
	x = w; w = ""
	if (x == "") return
	if (redir) { redir = 0; return }
	lastw = x
	if (skip) return
	isassign = (x ~ /^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=/)
	if (pre != "") {
		if (skipn > 0) { skipn--; return }
		if (x ~ /^-/) {
			if ((pre == "timeout" && (x == "-k" || x == "-s")) || (pre == "env" && x == "-u")) skipn = 1
			return
		}
		if (pre == "env" && isassign) return
		if ((pre == "timeout" || pre == "mount_ns") && !dur) { dur = 1; return }
		pre = ""; cmd = 1
	}
	if (!cmd) return
	if (isassign) return
	if (x ~ /^(if|then|else|elif|do|while|until|!|\{|time)$/) return
	cmd = 0
	if (x ~ /^(for|case|function|select|in|done|fi|esac|\}|\[\[|\]\]|\(\()$/) return
	if (x ~ /^(inroot|inroot_kp|root_apt|chroot)$/) { skip = 1; skipd = d; if (x == "chroot") print x; return }
	print x
	cname = x; sub(/.*\//, "", cname)
	if (x ~ /^(retry|exec|command|nice|nohup|xargs|env|timeout|unshare|mount_ns)$/) { pre = x; dur = 0; skipn = 0 }
}
FNR == 1 { d = 1; K[1] = "code"; E[1] = "\n"; w = ""; cmd = 1; pre = ""; skip = 0; hd = ""; redir = 0 }
{
	line = $0
	if (pat) { pat = 0; cmd = 1; next }
	if (K[d] == "code" && E[d] == "\n" && (line ~ /^[ \t]*case .* in[ \t]*$/ || line ~ /^[ \t]*;;[ \t]*$/)) { pat = 1; if (line ~ /;;/) next }
	if (hd != "") {
		t = line; if (hdtab) sub(/^\t+/, "", t)
		if (t == hd) { hd = ""; endcmd(); next }
		if (!hdcode) next
	}
	n = length(line); cont = 0
	for (i = 1; i <= n; i++) {
		c = substr(line, i, 1)
		if (K[d] == "sq") { if (c == "'") { K[d] = ""; d--; } else w = w c; continue }
		if (K[d] == "brace") {
			w = w c
			if (Q[d] != "") { if (c == Q[d]) Q[d] = ""; continue }
			if (c == "'" || c == "\"") Q[d] = c
			else if (c == "{") B[d]++
			else if (c == "}" && --B[d] == 0) d--
			continue
		}
		if (K[d] == "arith") {
			if (c == "(") A[d]++
			else if (c == ")" && --A[d] < 0) { i++; pop() }
			continue
		}
		if (K[d] == "dq") {
			if (c == "\\") { w = w substr(line, i + 1, 1); i++; continue }
			if (c == "\"") { d--; continue }
			if (c == "$" && substr(line, i + 1, 1) == "(") {
				if (substr(line, i + 2, 1) == "(") { push("arith", ""); A[d] = 0; i += 2 }
				else { push("code", ")"); i++; cmd = 1; pre = "" }
				continue
			}
			w = w c; continue
		}
		# code
		if (c == E[d] && (c == "'" || c == "\"" || c == ")")) { flush(); if (skip && d <= skipd) skip = 0; pop(); continue }
		if (c == " " || c == "\t") { flush(); continue }
		if (c == "\\") { if (i == n) { cont = 1; break }; w = w substr(line, i + 1, 1); i++; continue }
		if (c == "#" && w == "") break
		if (c == "'" || c == "\"") {
			if (w == "" && lastw == "-c" && cname ~ /^(sh|bash|dash)$/) { push("code", c); cmd = 1; pre = ""; cname = ""; continue }
			d++; K[d] = (c == "'") ? "sq" : "dq"; E[d] = c; continue
		}
		if (c == "$" && substr(line, i + 1, 1) == "(") {
			if (substr(line, i + 2, 1) == "(") { push("arith", ""); A[d] = 0; i += 2 }
			else { push("code", ")"); i++; cmd = 1; pre = "" }
			continue
		}
		if (c == "(" && w == "" && substr(line, i + 1, 1) == "(") { push("arith", ""); A[d] = 0; i++; cmd = 0; continue }
		if (c == "(") {
			if (w ~ /^[A-Za-z_][A-Za-z0-9_]*\+?=$/) { push("code", ")"); cmd = 0; continue }	# array
			flush(); push("code", ")"); cmd = 1; continue
		}
		if (c == ")") { w = ""; cmd = 1; pre = ""; continue }	# case pattern
		if (c == "$" && substr(line, i + 1, 1) == "{") { d++; K[d] = "brace"; B[d] = 1; Q[d] = ""; w = w "${"; i++; continue }
		if (c == ";" || c == "|" || (c == "&" && prevc != ">" && prevc != "<")) { endcmd(); prevc = c; continue }
		if (c == "&") { prevc = c; continue }
		if (c == ">" || c == "<") {
			if (w ~ /^[0-9]*$/) w = ""; else flush()
			if (c == "<" && substr(line, i + 1, 1) == "<" && substr(line, i + 2, 1) != "<") {
				rest = substr(line, i + 2)
				hdtab = (substr(rest, 1, 1) == "-")
				if (match(rest, /^-?[ \t]*['"]?[A-Za-z_][A-Za-z0-9_]*['"]?/)) {
					hd = substr(rest, 1, RLENGTH); gsub(/[-'" \t]/, "", hd)
					hdcode = (cname ~ /^(sh|bash|dash)$/)
					i += 1 + RLENGTH
				}
				continue
			}
			if (c == "<" && substr(line, i + 1, 1) == "(") { redir = 0; push("code", ")"); i++; cmd = 1; continue }
			while (substr(line, i + 1, 1) ~ /[<>&]/) i++
			redir = 1; prevc = c; continue
		}
		prevc = c
		w = w c
	}
	if (cont) flush()
	else if (K[d] == "code") { if (E[d] == "\n" || E[d] == ")" || E[d] == "'" || E[d] == "\"") endcmd() }
	else w = w " "
}
