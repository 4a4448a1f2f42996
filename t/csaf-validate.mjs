// csaf-validate.mjs FILE...: validate CSAF 2.0 documents with
// @secvisogram/csaf-validator-lib, the strict schema test and every
// mandatory test of CSAF 2.0 section 6.1 (the library's "basic" set), all
// files in this one node process (importing the library costs seconds).
// Prints "valid FILE" or "invalid FILE" and each failing test's name,
// instance path and message; exits 1 if any file is invalid, 2 if one
// cannot be read.
import { readFileSync } from 'node:fs'
import * as basic from '@secvisogram/csaf-validator-lib/basic.js'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'

const tests = Object.values(basic)
let status = 0
for (const file of process.argv.slice(2)) {
  let doc
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    console.log(`unreadable ${file}: ${e.message}`)
    status = 2
    continue
  }
  const result = await validateStrict(tests, doc)
  if (result.isValid) {
    console.log(`valid ${file}`)
    continue
  }
  console.log(`invalid ${file}`)
  for (const t of result.tests)
    for (const e of t.errors ?? [])
      console.log(`  ${t.name} ${e.instancePath} ${e.message}`)
  if (status === 0) status = 1
}
process.exit(status)
