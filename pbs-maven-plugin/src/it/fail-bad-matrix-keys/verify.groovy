// Every typo is reported at once, at its line and column, with the key meant and the valid keys,
// and nothing was fetched (no prebuild server: the build must stop before any download).
def log = new File(basedir, "build.log").text
def matrix = new File(basedir, "matrix.yaml").canonicalPath
[
  "${matrix}:5:3: unknown key 'maintaner' in app (did you mean 'maintainer'?); valid keys:"
      + " description, homepage, license, longDescription, maintainer, name, version.",
  "${matrix}:6:1: unknown key 'packging' at the top level (did you mean 'packaging'?); valid keys:"
      + " app, exclude, image, names, packaging, pbs, smoke, targets.",
  "${matrix}:10:5: unknown key 'pbs_triple' in targets[0] (did you mean 'pbsTriple'?); valid keys:"
      + " binary, exclude, formats, packaging, pbsTriple, rpath, runner, smoke, triple.",
  "${matrix}:11:5: unknown key 'rpth' in targets[0] (did you mean 'rpath'?); valid keys: binary,"
      + " exclude, formats, packaging, pbsTriple, rpath, runner, smoke, triple.",
].each { line -> assert log.contains(line.toString()) : "missing from build.log: ${line}" }
assert !new File(basedir, "target/pbs").exists()

// The plugin jar carries the schema these keys are checked against, as docs/ publishes it.
def module = new File(basedir, "../../..").canonicalFile
def built = new File(module, "target").listFiles().find { it.name ==~ /pbs-maven-plugin-[^-]+(-SNAPSHOT)?\.jar/ }
assert built != null : "no plugin jar in ${module}/target"
def jar = new java.util.zip.ZipFile(built)
try {
  def entry = jar.getEntry("matrix.schema.json")
  assert entry != null : "matrix.schema.json is not in ${jar.name}"
  assert jar.getInputStream(entry).text == new File(module, "../docs/matrix.schema.json").text
} finally {
  jar.close()
}
return true
