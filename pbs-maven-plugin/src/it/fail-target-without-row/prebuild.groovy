corruptSums = false
evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))
