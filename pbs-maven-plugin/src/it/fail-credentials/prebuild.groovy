// The mirror wants another password than the one settings.xml holds for pbs-mirror.
def wanted = "Basic " + "ci-user:Another-Password".bytes.encodeBase64().toString()
return evaluate(new File(basedir, "../../../src/it/common/credentials.groovy"))(
    [basicMirror: wanted], [])
