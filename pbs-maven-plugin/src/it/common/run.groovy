// Shared by the release ITs' verify scripts: a closure that runs a command from / and returns its
// output (stderr merged), failing the IT with that output when the command fails.
return { List<String> cmd ->
  def p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(new File("/")).start()
  def out = p.inputStream.text
  assert p.waitFor() == 0 : "${cmd} failed: ${out}"
  out
}
