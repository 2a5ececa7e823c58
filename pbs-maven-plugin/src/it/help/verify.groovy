// pbs:help -Ddetail -Dgoal=package: the goal, then each parameter a user can set, with its user
// property and default, as the plugin descriptor declares them; placeholders such as <server> as text.
import groovy.xml.XmlSlurper

def log = new File(basedir, "build.log").readLines()
// The help as printed: one info message, so only its first line has Maven's level prefix.
def help = log.collect { it.startsWith("[INFO] ") ? it.substring(7) : it }
// Words only: the help wraps at 80 columns.
def words = help.join(" ").replaceAll(/\s+/, " ")

assert help.contains("pbs:package") : "no pbs:package in the help:\n${help.join('\n')}"
assert !help.any { it ==~ /pbs:(fetch|patch|verify|help)/ } : "-Dgoal=package printed other goals"
assert help.contains("  Available parameters:")

def module = new File(basedir, "../../..").canonicalFile
def descriptor = new XmlSlurper().parse(new File(module, "target/classes/META-INF/maven/plugin.xml"))
def mojo = descriptor.mojos.mojo.find { it.goal.text() == "package" }
def parameters = mojo.parameters.parameter.findAll { it.editable.text() == "true" }
assert parameters.size() >= 15 : "package has ${parameters.size()} parameters in the descriptor"
parameters.each { p ->
  def name = p.name.text()
  // The HelpMojo prints "    name (Default: value)" or "    name" at the parameter's indent.
  def defaultValue = mojo.configuration."${name}".@'default-value'.text()
  def heading = ("    ${name}" + (defaultValue ? " (Default: ${defaultValue})" : "")).toString()
  assert help.contains(heading) : "missing from the help: '${heading}'"
  def property = mojo.configuration."${name}".text() =~ /^\$\{(.+)\}$/
  if (property) {
    assert words.contains("User property: ${property[0][1]}".toString()) : "no user property for ${name}"
  }
}

// Placeholders of the Javadoc stay text (a bare <server> in the Javadoc would print nothing).
[
  "The id of the settings.xml <server> whose <password> (plain or encrypted with mvn --encrypt-password) is the key file's passphrase.",
  "Debian copyright file shipped in the deb/rpm (/usr/share/doc/APP/copyright).",
  "attaches them to the project with a platform classifier (e.g. linux_amd64)",
].each { text -> assert words.contains(text) : "missing from the help: ${text}" }
return true
