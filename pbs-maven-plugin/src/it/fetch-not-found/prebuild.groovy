evaluate(new File(basedir, "../../../src/it/common/publish-install-only.groovy"))
