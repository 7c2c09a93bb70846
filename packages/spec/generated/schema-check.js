/* Generated from schemas/naftiko-1.0.0-alpha2.schema.json by packages/spec/scripts/generate-schema-check.mjs; do not edit. */
// @ts-nocheck
export const SCHEMA_SHA256 = "60b3c600bbfaeaabb6085dc9fe1ffea75e126736fb8810d390b03ee387e8f84b";
export const validate = (function() {
'use strict'
const pattern0 = new RegExp("^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$", "u");
const ref2 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern0.test(data)) return false
  return true
};
const pattern1 = new RegExp("^[a-zA-Z0-9._%+\\-]+@[a-zA-Z0-9.\\-]+\\.[a-zA-Z]{2,}$", "u");
const ref3 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.role !== undefined)) return false
  if (!(data.fullName !== undefined)) return false
  if (!(typeof data.role === "string")) return false
  if (!(typeof data.fullName === "string")) return false
  if (data.email !== undefined) {
    if (!(typeof data.email === "string")) return false
    if (!pattern1.test(data.email)) return false
  }
  for (const key0 of Object.keys(data)) {
    if (key0 !== "role" && key0 !== "fullName" && key0 !== "email") return false
  }
  return true
};
const ref1 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.tags !== undefined) {
    if (!Array.isArray(data.tags)) return false
    for (let i = 0; i < data.tags.length; i++) {
      if (!(typeof data.tags[i] === "string")) return false
    }
  }
  if (data.created !== undefined) {
    if (!ref2(data.created)) return false
  }
  if (data.modified !== undefined) {
    if (!ref2(data.modified)) return false
  }
  if (data.stakeholders !== undefined) {
    if (!Array.isArray(data.stakeholders)) return false
    for (let j = 0; j < data.stakeholders.length; j++) {
      if (!ref3(data.stakeholders[j])) return false
    }
  }
  if (data.title !== undefined) {
    if (!(typeof data.title === "string")) return false
  }
  for (const key1 of Object.keys(data)) {
    if (key1 !== "label" && key1 !== "description" && key1 !== "tags" && key1 !== "created" && key1 !== "modified" && key1 !== "stakeholders" && key1 !== "title") return false
  }
  let sub0 = true
  sub0: {
    if (!(data.label !== undefined)) { sub0 = false; break sub0 }
  }
  let sub1 = true
  sub1: {
    if (!(data.title !== undefined)) { sub1 = false; break sub1 }
  }
  if (!(sub0 || sub1)) return false
  let sub2 = true
  sub2: {
    if (!(data.description !== undefined)) { sub2 = false; break sub2 }
  }
  let sub3 = true
  sub3: {
    let sub4 = true
    sub4: {
      if (!(data.description !== undefined)) { sub4 = false; break sub4 }
    }
    if (sub4) { sub3 = false; break sub3 }
  }
  if (!(sub2 || sub3)) return false
  return true
};
const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
const pattern2 = new RegExp("^[a-zA-Z0-9-]+$", "u");
const ref5 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern2.test(data)) return false
  return true
};
const pattern3 = new RegExp("^[a-zA-Z][a-zA-Z0-9+.-]*:\\/\\/", "u");
const ref6 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern3.test(data)) return false
  return true
};
const pattern4 = new RegExp("^[A-Z][A-Z0-9_]*$", "u");
const ref8 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern4.test(data)) return false
  return true
};
const pattern5 = new RegExp("^[a-zA-Z0-9-_*]+$", "u");
const ref9 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern5.test(data)) return false
  return true
};
const ref7 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  for (const key2 of Object.keys(data)) {
    if (!ref8(key2)) return false
  }
  for (const key3 of Object.keys(data)) {
    if (!ref9(data[key3])) return false
  }
  return true
};
const ref4 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.namespace !== undefined)) return false
  if (!(data.keys !== undefined && hasOwn(data, "keys"))) return false
  if (!ref5(data.namespace)) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.location !== undefined) {
    if (!ref6(data.location)) return false
  }
  if (!ref7(data.keys)) return false
  for (const key4 of Object.keys(data)) {
    if (key4 !== "namespace" && key4 !== "description" && key4 !== "location" && key4 !== "keys") return false
  }
  return true
};
const pattern6 = new RegExp("^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$", "u");
const ref14 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern6.test(data)) return false
  return true
};
const pattern7 = new RegExp("^((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)$", "u");
const ref15 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern7.test(data)) return false
  return true
};
const pattern8 = new RegExp("^([0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}$", "u");
const ref16 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern8.test(data)) return false
  return true
};
const ref13 = function validate(data) {
  let sub6 = true
  sub6: {
    if (!ref14(data)) { sub6 = false; break sub6 }
  }
  let sub7 = true
  sub7: {
    if (!ref15(data)) { sub7 = false; break sub7 }
  }
  let sub8 = true
  sub8: {
    if (!ref16(data)) { sub8 = false; break sub8 }
  }
  if (!(sub6 || sub7 || sub8)) return false
  return true
};
const ref17 = function validate(data) {
  if (!Number.isInteger(data)) return false
  if (!(1 <= data)) return false
  if (!(65535 >= data)) return false
  return true
};
const ref20 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.source !== undefined)) return false
  if (!(typeof data.source === "string")) return false
  if (!(data.source === "mint" || data.source === "store" || data.source === "passthrough")) return false
  if (data.algorithm !== undefined) {
    if (!(typeof data.algorithm === "string")) return false
    if (!(data.algorithm === "RS256" || data.algorithm === "ES256")) return false
  }
  if (data.key !== undefined) {
    if (!(typeof data.key === "string")) return false
  }
  if (data.claims !== undefined) {
    if (!(typeof data.claims === "object" && data.claims && !Array.isArray(data.claims))) return false
  }
  if (data.ttl !== undefined) {
    if (!Number.isInteger(data.ttl)) return false
    if (!(10 <= data.ttl)) return false
    if (!(86400 >= data.ttl)) return false
  }
  if (data.store !== undefined) {
    if (!(typeof data.store === "string")) return false
  }
  if (data.prefix !== undefined) {
    if (!(typeof data.prefix === "string")) return false
  }
  if (data.header !== undefined) {
    if (!(typeof data.header === "string")) return false
  }
  if (data.as !== undefined) {
    if (!(typeof data.as === "string")) return false
  }
  if (data.parameters !== undefined) {
    if (!(typeof data.parameters === "object" && data.parameters && !Array.isArray(data.parameters))) return false
    for (const key5 of Object.keys(data.parameters)) {
      if (!(typeof data.parameters[key5] === "string")) return false
    }
  }
  for (const key6 of Object.keys(data)) {
    if (key6 !== "source" && key6 !== "algorithm" && key6 !== "key" && key6 !== "claims" && key6 !== "ttl" && key6 !== "store" && key6 !== "prefix" && key6 !== "header" && key6 !== "as" && key6 !== "parameters") return false
  }
  return true
};
const ref19 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (data["x-capstan-credentials"] !== undefined) {
    if (!ref20(data["x-capstan-credentials"])) return false
  }
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "basic")) return false
  if (data.username !== undefined) {
    if (!(typeof data.username === "string")) return false
  }
  if (data.password !== undefined) {
    if (!(typeof data.password === "string")) return false
  }
  for (const key7 of Object.keys(data)) {
    if (key7 !== "x-capstan-credentials" && key7 !== "type" && key7 !== "username" && key7 !== "password") return false
  }
  return true
};
const ref21 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (data["x-capstan-credentials"] !== undefined) {
    if (!ref20(data["x-capstan-credentials"])) return false
  }
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "apikey")) return false
  if (data.key !== undefined) {
    if (!(typeof data.key === "string")) return false
  }
  if (data.value !== undefined) {
    if (!(typeof data.value === "string")) return false
  }
  if (data.placement !== undefined) {
    if (!(typeof data.placement === "string")) return false
    if (!(data.placement === "header" || data.placement === "query")) return false
  }
  for (const key8 of Object.keys(data)) {
    if (key8 !== "x-capstan-credentials" && key8 !== "type" && key8 !== "key" && key8 !== "value" && key8 !== "placement") return false
  }
  return true
};
const ref22 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (data["x-capstan-credentials"] !== undefined) {
    if (!ref20(data["x-capstan-credentials"])) return false
  }
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "bearer")) return false
  if (data.token !== undefined) {
    if (!(typeof data.token === "string")) return false
  }
  for (const key9 of Object.keys(data)) {
    if (key9 !== "x-capstan-credentials" && key9 !== "type" && key9 !== "token") return false
  }
  return true
};
const ref23 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (data["x-capstan-credentials"] !== undefined) {
    if (!ref20(data["x-capstan-credentials"])) return false
  }
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "digest")) return false
  if (data.username !== undefined) {
    if (!(typeof data.username === "string")) return false
  }
  if (data.password !== undefined) {
    if (!(typeof data.password === "string")) return false
  }
  for (const key10 of Object.keys(data)) {
    if (key10 !== "x-capstan-credentials" && key10 !== "type" && key10 !== "username" && key10 !== "password") return false
  }
  return true
};
const format0 = new RegExp("^[a-z][a-z0-9+\\-.]*:(?:\\/?\\/(?:(?:[a-z0-9\\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d\\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|v[0-9a-f]+\\.[a-z0-9\\-._~!$&'()*+,;=:]+)\\]|(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d\\d?)|(?:[a-z0-9\\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\\d*)?(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\\/?(?:(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?)(?:\\?(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$", "i");
const ref24 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.authorizationServerUri !== undefined)) return false
  if (!(data.resource !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "oauth2")) return false
  if (!(typeof data.authorizationServerUri === "string")) return false
  if (!format0.test(data.authorizationServerUri)) return false
  if (!(typeof data.resource === "string")) return false
  if (!format0.test(data.resource)) return false
  if (data.scopes !== undefined) {
    if (!Array.isArray(data.scopes)) return false
    for (let n = 0; n < data.scopes.length; n++) {
      if (!(typeof data.scopes[n] === "string")) return false
    }
  }
  if (data.audience !== undefined) {
    if (!(typeof data.audience === "string")) return false
  }
  if (data.tokenEndpoint !== undefined) {
    if (!(typeof data.tokenEndpoint === "string")) return false
    if (!format0.test(data.tokenEndpoint)) return false
  }
  if (data.tokenValidation !== undefined) {
    if (!(typeof data.tokenValidation === "string")) return false
    if (!(data.tokenValidation === "jwks" || data.tokenValidation === "introspection")) return false
  }
  if (data["x-capstan-clientId"] !== undefined) {
    if (!(typeof data["x-capstan-clientId"] === "string")) return false
  }
  if (data["x-capstan-clientSecret"] !== undefined) {
    if (!(typeof data["x-capstan-clientSecret"] === "string")) return false
  }
  if (data["x-capstan-refreshToken"] !== undefined) {
    if (!(typeof data["x-capstan-refreshToken"] === "string")) return false
  }
  for (const key11 of Object.keys(data)) {
    if (key11 !== "type" && key11 !== "authorizationServerUri" && key11 !== "resource" && key11 !== "scopes" && key11 !== "audience" && key11 !== "tokenEndpoint" && key11 !== "tokenValidation" && key11 !== "x-capstan-clientId" && key11 !== "x-capstan-clientSecret" && key11 !== "x-capstan-refreshToken") return false
  }
  return true
};
const ref18 = function validate(data) {
  let passes1 = 0
  let sub9 = true
  sub9: {
    if (!ref19(data)) { sub9 = false; break sub9 }
  }
  if (sub9) passes1++
  let sub10 = true
  sub10: {
    if (!ref21(data)) { sub10 = false; break sub10 }
  }
  if (sub10) passes1++
  if (passes1 > 1) return false
  let sub11 = true
  sub11: {
    if (!ref22(data)) { sub11 = false; break sub11 }
  }
  if (sub11) passes1++
  if (passes1 > 1) return false
  let sub12 = true
  sub12: {
    if (!ref23(data)) { sub12 = false; break sub12 }
  }
  if (sub12) passes1++
  if (passes1 > 1) return false
  let sub13 = true
  sub13: {
    if (!ref24(data)) { sub13 = false; break sub13 }
  }
  if (sub13) passes1++
  if (passes1 !== 1) return false
  return true
};
const unique = (array) => {
  if (array.length < 2) return true
  if (array.length === 2) return !deepEqual(array[0], array[1])
  const objects = []
  const primitives = array.length > 20 ? new Set() : null
  let primitivesCount = 0
  let pos = 0
  for (const item of array) {
    if (typeof item === 'object') {
      objects.push(item)
    } else if (primitives) {
      primitives.add(item)
      if (primitives.size !== ++primitivesCount) return false
    } else {
      if (array.indexOf(item, pos + 1) !== -1) return false
    }
    pos++
  }
  for (let i = 1; i < objects.length; i++)
    for (let j = 0; j < i; j++) if (deepEqual(objects[i], objects[j])) return false
  return true
};
const deepEqual = (obj, obj2) => {
  if (obj === obj2) return true
  if (!obj || !obj2 || typeof obj !== typeof obj2) return false
  if (obj !== obj2 && typeof obj !== 'object') return false

  const proto = Object.getPrototypeOf(obj)
  if (proto !== Object.getPrototypeOf(obj2)) return false

  if (proto === Array.prototype) {
    if (!Array.isArray(obj) || !Array.isArray(obj2)) return false
    if (obj.length !== obj2.length) return false
    return obj.every((x, i) => deepEqual(x, obj2[i]))
  } else if (proto === Object.prototype) {
    const [keys, keys2] = [Object.keys(obj), Object.keys(obj2)]
    if (keys.length !== keys2.length) return false
    const keyset2 = new Set([...keys, ...keys2])
    return keyset2.size === keys.length && keys.every((key) => deepEqual(obj[key], obj2[key]))
  }
  return false
};
const ref26 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.in !== undefined)) return false
  if (!(data.type !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.in === "string")) return false
  if (!(data.in === "query" || data.in === "header" || data.in === "path" || data.in === "cookie" || data.in === "body")) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "integer" || data.type === "boolean" || data.type === "array" || data.type === "object")) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.pattern !== undefined) {
    if (!(typeof data.pattern === "string")) return false
  }
  if (data.value !== undefined) {
    if (!(typeof data.value === "string")) return false
  }
  if (data.required !== undefined) {
    if (!(typeof data.required === "boolean")) return false
  }
  if (data["x-capstan-enum"] !== undefined) {
    if (!(Array.isArray(data["x-capstan-enum"]))) return false
    if (data["x-capstan-enum"].length < 1) return false
    for (let q = 0; q < data["x-capstan-enum"].length; q++) {
      let sub14 = true
      sub14: {
        if (!(typeof data["x-capstan-enum"][q] === "string")) { sub14 = false; break sub14 }
      }
      let sub15 = true
      sub15: {
        if (!(typeof data["x-capstan-enum"][q] === "number")) { sub15 = false; break sub15 }
      }
      let sub16 = true
      sub16: {
        if (!(typeof data["x-capstan-enum"][q] === "boolean")) { sub16 = false; break sub16 }
      }
      if (!(sub14 || sub15 || sub16)) return false
    }
    if (!unique(data["x-capstan-enum"])) return false
  }
  for (const key12 of Object.keys(data)) {
    if (key12 !== "name" && key12 !== "in" && key12 !== "type" && key12 !== "description" && key12 !== "pattern" && key12 !== "value" && key12 !== "required" && key12 !== "x-capstan-enum") return false
  }
  let sub17 = true
  sub17: {
    if (!(data.description !== undefined)) { sub17 = false; break sub17 }
  }
  let sub18 = true
  sub18: {
    let sub19 = true
    sub19: {
      if (!(data.description !== undefined)) { sub19 = false; break sub19 }
    }
    if (sub19) { sub18 = false; break sub18 }
  }
  if (!(sub17 || sub18)) return false
  return true
};
const ref28 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!(data === "GET" || data === "POST" || data === "PUT" || data === "PATCH" || data === "DELETE")) return false
  return true
};
const pattern9 = new RegExp("^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+$", "u");
const ref29 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern9.test(data)) return false
  return true
};
const ref30 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  for (const key13 of Object.keys(data)) {
    let passes2 = 0
    let sub20 = true
    sub20: {
      if (!(typeof data[key13] === "string")) { sub20 = false; break sub20 }
    }
    if (sub20) passes2++
    let sub21 = true
    sub21: {
      if (!(typeof data[key13] === "number")) { sub21 = false; break sub21 }
    }
    if (sub21) passes2++
    if (passes2 !== 1) return false
  }
  return true
};
const ref33 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.name !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "call" || data.type === "lookup" || data.type === "script")) return false
  if (!ref5(data.name)) return false
  return true
};
const ref32 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.call !== undefined)) return false
  if (!(data.type === "call")) return false
  if (!ref29(data.call)) return false
  if (data.with !== undefined && hasOwn(data, "with")) {
    if (!ref30(data.with)) return false
  }
  if (!ref33(data)) return false
  for (const key14 of Object.keys(data)) {
    if (key14 !== "call" && key14 !== "name" && key14 !== "type" && key14 !== "with") return false
  }
  return true
};
const ref34 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.index !== undefined)) return false
  if (!(data.match !== undefined && hasOwn(data, "match"))) return false
  if (!(data.lookupValue !== undefined)) return false
  if (!(data.outputParameters !== undefined)) return false
  if (!(data.type === "lookup")) return false
  if (!ref5(data.index)) return false
  if (!ref5(data.match)) return false
  if (!(typeof data.lookupValue === "string")) return false
  if (!Array.isArray(data.outputParameters)) return false
  if (data.outputParameters.length < 1) return false
  for (let u = 0; u < data.outputParameters.length; u++) {
    if (!(typeof data.outputParameters[u] === "string")) return false
  }
  if (!ref33(data)) return false
  for (const key15 of Object.keys(data)) {
    if (key15 !== "index" && key15 !== "lookupValue" && key15 !== "match" && key15 !== "name" && key15 !== "outputParameters" && key15 !== "type") return false
  }
  return true
};
const ref36 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!format0.test(data)) return false
  if (!(data.startsWith("file:///"))) return false
  return true
};
const stringLength = (string) =>
  /[\uD800-\uDFFF]/.test(string) ? [...string].length : string.length;
const ref35 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.file !== undefined)) return false
  if (!(data.type === "script")) return false
  if (data.language !== undefined) {
    if (!(typeof data.language === "string")) return false
    if (!(data.language === "javascript" || data.language === "python" || data.language === "groovy")) return false
  }
  if (data.location !== undefined) {
    if (!ref36(data.location)) return false
  }
  if (!(typeof data.file === "string")) return false
  if (data.file.length < 1 || stringLength(data.file) < 1) return false
  if (data.dependencies !== undefined) {
    if (!Array.isArray(data.dependencies)) return false
    if (data.dependencies.length < 1) return false
    for (let v = 0; v < data.dependencies.length; v++) {
      if (!(typeof data.dependencies[v] === "string")) return false
      if (data.dependencies[v].length < 1 || stringLength(data.dependencies[v]) < 1) return false
    }
  }
  if (data.with !== undefined && hasOwn(data, "with")) {
    if (!ref30(data.with)) return false
  }
  if (!ref33(data)) return false
  for (const key16 of Object.keys(data)) {
    if (key16 !== "dependencies" && key16 !== "file" && key16 !== "language" && key16 !== "location" && key16 !== "name" && key16 !== "type" && key16 !== "with") return false
  }
  return true
};
const ref31 = function validate(data) {
  let passes3 = 0
  let sub22 = true
  sub22: {
    if (!ref32(data)) { sub22 = false; break sub22 }
  }
  if (sub22) passes3++
  let sub23 = true
  sub23: {
    if (!ref34(data)) { sub23 = false; break sub23 }
  }
  if (sub23) passes3++
  if (passes3 > 1) return false
  let sub24 = true
  sub24: {
    if (!ref35(data)) { sub24 = false; break sub24 }
  }
  if (sub24) passes3++
  if (passes3 !== 1) return false
  return true
};
const pattern10 = new RegExp("^[a-zA-Z0-9-_.]+$", "u");
const ref37 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.targetName !== undefined)) return false
  if (!(data.value !== undefined)) return false
  if (!(typeof data.targetName === "string")) return false
  if (!pattern10.test(data.targetName)) return false
  if (!(typeof data.value === "string")) return false
  for (const key17 of Object.keys(data)) {
    if (key17 !== "targetName" && key17 !== "value") return false
  }
  return true
};
const ref38 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.maxAge !== undefined) {
    if (!Number.isInteger(data.maxAge)) return false
    if (!(0 <= data.maxAge)) return false
  }
  if (data.visibility !== undefined) {
    if (!(typeof data.visibility === "string")) return false
    if (!(data.visibility === "public" || data.visibility === "private")) return false
  }
  if (data.noStore !== undefined) {
    if (!(typeof data.noStore === "boolean")) return false
  }
  if (data.noCache !== undefined) {
    if (!(typeof data.noCache === "boolean")) return false
  }
  for (const key18 of Object.keys(data)) {
    if (key18 !== "maxAge" && key18 !== "visibility" && key18 !== "noStore" && key18 !== "noCache") return false
  }
  return true
};
const ref41 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "boolean" || data.type === "object" || data.type === "array")) return false
  if (data.mapping !== undefined) {
    if (!(typeof data.mapping === "string")) return false
  }
  if (data.const !== undefined) {
    let passes5 = 0
    let sub27 = true
    sub27: {
      if (!(typeof data.const === "string")) { sub27 = false; break sub27 }
    }
    if (sub27) passes5++
    let sub28 = true
    sub28: {
      if (!(typeof data.const === "number")) { sub28 = false; break sub28 }
    }
    if (sub28) passes5++
    if (passes5 > 1) return false
    let sub29 = true
    sub29: {
      if (!(typeof data.const === "boolean")) { sub29 = false; break sub29 }
    }
    if (sub29) passes5++
    if (passes5 > 1) return false
    let sub30 = true
    sub30: {
      if (!Array.isArray(data.const)) { sub30 = false; break sub30 }
    }
    if (sub30) passes5++
    if (passes5 > 1) return false
    let sub31 = true
    sub31: {
      if (!(typeof data.const === "object" && data.const && !Array.isArray(data.const))) { sub31 = false; break sub31 }
    }
    if (sub31) passes5++
    if (passes5 !== 1) return false
  }
  if (data.value !== undefined) {
    if (!(typeof data.value === "string")) return false
  }
  return true
};
const ref40 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.type === "string")) return false
  if (!ref41(data)) return false
  let passes6 = 0
  let sub32 = true
  sub32: {
    if (!(data.mapping !== undefined)) { sub32 = false; break sub32 }
  }
  if (sub32) passes6++
  let sub33 = true
  sub33: {
    if (!(data.value !== undefined)) { sub33 = false; break sub33 }
  }
  if (sub33) passes6++
  if (passes6 !== 1) return false
  for (const key20 of Object.keys(data)) {
    if (key20 !== "const" && key20 !== "mapping" && key20 !== "type" && key20 !== "value") return false
  }
  return true
};
const ref42 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.type === "number")) return false
  if (!ref41(data)) return false
  let passes7 = 0
  let sub35 = true
  sub35: {
    if (!(data.mapping !== undefined)) { sub35 = false; break sub35 }
  }
  if (sub35) passes7++
  let sub36 = true
  sub36: {
    if (!(data.value !== undefined)) { sub36 = false; break sub36 }
  }
  if (sub36) passes7++
  if (passes7 !== 1) return false
  for (const key21 of Object.keys(data)) {
    if (key21 !== "const" && key21 !== "mapping" && key21 !== "type" && key21 !== "value") return false
  }
  return true
};
const ref43 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.type === "boolean")) return false
  if (!ref41(data)) return false
  let passes8 = 0
  let sub38 = true
  sub38: {
    if (!(data.mapping !== undefined)) { sub38 = false; break sub38 }
  }
  if (sub38) passes8++
  let sub39 = true
  sub39: {
    if (!(data.value !== undefined)) { sub39 = false; break sub39 }
  }
  if (sub39) passes8++
  if (passes8 !== 1) return false
  for (const key22 of Object.keys(data)) {
    if (key22 !== "const" && key22 !== "mapping" && key22 !== "type" && key22 !== "value") return false
  }
  return true
};
const ref44 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.properties !== undefined)) return false
  if (!(data.type === "object")) return false
  if (!(typeof data.properties === "object" && data.properties && !Array.isArray(data.properties))) return false
  for (const key23 of Object.keys(data.properties)) {
    if (!ref39(data.properties[key23])) return false
  }
  if (!ref41(data)) return false
  for (const key24 of Object.keys(data)) {
    if (key24 !== "const" && key24 !== "mapping" && key24 !== "properties" && key24 !== "type" && key24 !== "value") return false
  }
  return true
};
const ref45 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.items !== undefined)) return false
  if (!(data.type === "array")) return false
  if (!ref39(data.items)) return false
  if (!ref41(data)) return false
  for (const key25 of Object.keys(data)) {
    if (key25 !== "const" && key25 !== "items" && key25 !== "mapping" && key25 !== "type" && key25 !== "value") return false
  }
  return true
};
const ref46 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.mapping !== undefined)) return false
  if (!(data.type === "object")) return false
  if (!ref41(data)) return false
  for (const key26 of Object.keys(data)) {
    if (key26 !== "const" && key26 !== "mapping" && key26 !== "type" && key26 !== "value") return false
  }
  return true
};
const ref47 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.mapping !== undefined)) return false
  if (!(data.type === "array")) return false
  if (!ref41(data)) return false
  for (const key27 of Object.keys(data)) {
    if (key27 !== "const" && key27 !== "mapping" && key27 !== "type" && key27 !== "value") return false
  }
  return true
};
const ref39 = function validate(data) {
  let passes4 = 0
  let sub26 = true
  sub26: {
    if (!ref40(data)) { sub26 = false; break sub26 }
  }
  if (sub26) passes4++
  let sub34 = true
  sub34: {
    if (!ref42(data)) { sub34 = false; break sub34 }
  }
  if (sub34) passes4++
  if (passes4 > 1) return false
  let sub37 = true
  sub37: {
    if (!ref43(data)) { sub37 = false; break sub37 }
  }
  if (sub37) passes4++
  if (passes4 > 1) return false
  let sub40 = true
  sub40: {
    if (!ref44(data)) { sub40 = false; break sub40 }
  }
  if (sub40) passes4++
  if (passes4 > 1) return false
  let sub41 = true
  sub41: {
    if (!ref45(data)) { sub41 = false; break sub41 }
  }
  if (sub41) passes4++
  if (passes4 > 1) return false
  let sub42 = true
  sub42: {
    if (!ref46(data)) { sub42 = false; break sub42 }
  }
  if (sub42) passes4++
  if (passes4 > 1) return false
  let sub43 = true
  sub43: {
    if (!ref47(data)) { sub43 = false; break sub43 }
  }
  if (sub43) passes4++
  if (passes4 !== 1) return false
  return true
};
const ref50 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.type !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "boolean" || data.type === "object" || data.type === "array")) return false
  return true
};
const ref49 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "boolean")) return false
  if (!ref50(data)) return false
  for (const key28 of Object.keys(data)) {
    if (key28 !== "name" && key28 !== "type") return false
  }
  return true
};
const ref51 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.items !== undefined)) return false
  if (!(data.type === "array")) return false
  if (!Array.isArray(data.items)) return false
  if (data.items.length < 1) return false
  for (let ii = 0; ii < data.items.length; ii++) {
    if (!ref48(data.items[ii])) return false
  }
  if (!ref50(data)) return false
  for (const key29 of Object.keys(data)) {
    if (key29 !== "items" && key29 !== "name" && key29 !== "type") return false
  }
  return true
};
const ref52 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.properties !== undefined)) return false
  if (!(data.type === "object")) return false
  if (!(typeof data.properties === "object" && data.properties && !Array.isArray(data.properties))) return false
  for (const key30 of Object.keys(data.properties)) {
    if (!ref48(data.properties[key30])) return false
  }
  if (!ref50(data)) return false
  for (const key31 of Object.keys(data)) {
    if (key31 !== "name" && key31 !== "properties" && key31 !== "type") return false
  }
  return true
};
const ref48 = function validate(data) {
  let passes9 = 0
  let sub45 = true
  sub45: {
    if (!ref49(data)) { sub45 = false; break sub45 }
  }
  if (sub45) passes9++
  let sub46 = true
  sub46: {
    if (!ref51(data)) { sub46 = false; break sub46 }
  }
  if (sub46) passes9++
  if (passes9 > 1) return false
  let sub47 = true
  sub47: {
    if (!ref52(data)) { sub47 = false; break sub47 }
  }
  if (sub47) passes9++
  if (passes9 !== 1) return false
  return true
};
const ref27 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.method !== undefined)) return false
  if (!ref28(data.method)) return false
  if (data.name !== undefined) {
    if (!ref5(data.name)) return false
  }
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let s = 0; s < data.inputParameters.length; s++) {
      if (!ref26(data.inputParameters[s])) return false
    }
  }
  if (data.ref !== undefined) {
    if (!ref29(data.ref)) return false
  }
  if (data.call !== undefined) {
    if (!ref29(data.call)) return false
  }
  if (data.with !== undefined && hasOwn(data, "with")) {
    if (!ref30(data.with)) return false
  }
  if (data.outputParameters !== undefined) {
    if (!Array.isArray(data.outputParameters)) return false
  }
  if (data.steps !== undefined) {
    if (!Array.isArray(data.steps)) return false
    if (data.steps.length < 1) return false
    for (let t = 0; t < data.steps.length; t++) {
      if (!ref31(data.steps[t])) return false
    }
  }
  if (data.mappings !== undefined) {
    if (!Array.isArray(data.mappings)) return false
    for (let x = 0; x < data.mappings.length; x++) {
      if (!ref37(data.mappings[x])) return false
    }
  }
  if (data.cacheControl !== undefined) {
    if (!ref38(data.cacheControl)) return false
  }
  for (const key19 of Object.keys(data)) {
    if (key19 !== "method" && key19 !== "name" && key19 !== "label" && key19 !== "description" && key19 !== "inputParameters" && key19 !== "ref" && key19 !== "call" && key19 !== "with" && key19 !== "outputParameters" && key19 !== "steps" && key19 !== "mappings" && key19 !== "cacheControl") return false
  }
  let sub25 = true
  sub25: {
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub25 = false; break sub25 }
      for (let y = 0; y < data.outputParameters.length; y++) {
        if (!ref39(data.outputParameters[y])) { sub25 = false; break sub25 }
      }
    }
  }
  let sub44 = true
  sub44: {
    if (!(data.steps !== undefined)) { sub44 = false; break sub44 }
    if (!(data.name !== undefined)) { sub44 = false; break sub44 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub44 = false; break sub44 }
      for (let z = 0; z < data.outputParameters.length; z++) {
        if (!ref48(data.outputParameters[z])) { sub44 = false; break sub44 }
      }
    }
  }
  let sub48 = true
  sub48: {
    if (!(data.ref !== undefined)) { sub48 = false; break sub48 }
  }
  if (!(sub25 || sub44 || sub48)) return false
  return true
};
const ref53 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.targetNamespace !== undefined)) return false
  if (!ref5(data.targetNamespace)) return false
  if (data.trustedHeaders !== undefined) {
    if (!Array.isArray(data.trustedHeaders)) return false
    if (data.trustedHeaders.length < 1) return false
    for (let jj = 0; jj < data.trustedHeaders.length; jj++) {
      if (!(typeof data.trustedHeaders[jj] === "string")) return false
    }
  }
  for (const key32 of Object.keys(data)) {
    if (key32 !== "targetNamespace" && key32 !== "trustedHeaders") return false
  }
  return true
};
const ref25 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.path !== undefined)) return false
  if (!(typeof data.path === "string")) return false
  if (data.name !== undefined) {
    if (!ref5(data.name)) return false
  }
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let p = 0; p < data.inputParameters.length; p++) {
      if (!ref26(data.inputParameters[p])) return false
    }
  }
  if (data.operations !== undefined) {
    if (!Array.isArray(data.operations)) return false
    for (let r = 0; r < data.operations.length; r++) {
      if (!ref27(data.operations[r])) return false
    }
  }
  if (data.forward !== undefined) {
    if (!ref53(data.forward)) return false
  }
  for (const key33 of Object.keys(data)) {
    if (key33 !== "path" && key33 !== "name" && key33 !== "label" && key33 !== "description" && key33 !== "inputParameters" && key33 !== "operations" && key33 !== "forward") return false
  }
  let sub49 = true
  sub49: {
    if (!(data.operations !== undefined)) { sub49 = false; break sub49 }
  }
  let sub50 = true
  sub50: {
    if (!(data.forward !== undefined)) { sub50 = false; break sub50 }
  }
  if (!(sub49 || sub50)) return false
  return true
};
const ref54 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.max !== undefined)) return false
  if (!Number.isInteger(data.max)) return false
  if (!(1 <= data.max)) return false
  if (data.timeWindow !== undefined) {
    if (!Number.isInteger(data.timeWindow)) return false
    if (!(1 <= data.timeWindow)) return false
  }
  for (const key34 of Object.keys(data)) {
    if (key34 !== "max" && key34 !== "timeWindow") return false
  }
  return true
};
const ref12 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.port !== undefined)) return false
  if (!(data.namespace !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "rest")) return false
  if (data.address !== undefined) {
    if (!ref13(data.address)) return false
  }
  if (!ref17(data.port)) return false
  if (!ref5(data.namespace)) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.authentication !== undefined) {
    if (!ref18(data.authentication)) return false
  }
  if (data.resources !== undefined) {
    if (!Array.isArray(data.resources)) return false
    if (data.resources.length < 1) return false
    for (let o = 0; o < data.resources.length; o++) {
      if (!ref25(data.resources[o])) return false
    }
  }
  if (data["x-capstan-rateLimit"] !== undefined) {
    if (!ref54(data["x-capstan-rateLimit"])) return false
  }
  for (const key35 of Object.keys(data)) {
    if (key35 !== "type" && key35 !== "address" && key35 !== "port" && key35 !== "namespace" && key35 !== "description" && key35 !== "authentication" && key35 !== "resources" && key35 !== "x-capstan-rateLimit") return false
  }
  return true
};
const ref57 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.type !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "integer" || data.type === "boolean" || data.type === "array" || data.type === "object")) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.required !== undefined) {
    if (!(typeof data.required === "boolean")) return false
  }
  if (data["x-capstan-enum"] !== undefined) {
    if (!(Array.isArray(data["x-capstan-enum"]))) return false
    if (data["x-capstan-enum"].length < 1) return false
    for (let mm = 0; mm < data["x-capstan-enum"].length; mm++) {
      let sub52 = true
      sub52: {
        if (!(typeof data["x-capstan-enum"][mm] === "string")) { sub52 = false; break sub52 }
      }
      let sub53 = true
      sub53: {
        if (!(typeof data["x-capstan-enum"][mm] === "number")) { sub53 = false; break sub53 }
      }
      let sub54 = true
      sub54: {
        if (!(typeof data["x-capstan-enum"][mm] === "boolean")) { sub54 = false; break sub54 }
      }
      if (!(sub52 || sub53 || sub54)) return false
    }
    if (!unique(data["x-capstan-enum"])) return false
  }
  for (const key36 of Object.keys(data)) {
    if (key36 !== "name" && key36 !== "type" && key36 !== "description" && key36 !== "required" && key36 !== "x-capstan-enum") return false
  }
  let sub55 = true
  sub55: {
    if (!(data.description !== undefined)) { sub55 = false; break sub55 }
  }
  let sub56 = true
  sub56: {
    let sub57 = true
    sub57: {
      if (!(data.description !== undefined)) { sub57 = false; break sub57 }
    }
    if (sub57) { sub56 = false; break sub56 }
  }
  if (!(sub55 || sub56)) return false
  return true
};
const ref58 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.readOnly !== undefined) {
    if (!(typeof data.readOnly === "boolean")) return false
  }
  if (data.destructive !== undefined) {
    if (!(typeof data.destructive === "boolean")) return false
  }
  if (data.idempotent !== undefined) {
    if (!(typeof data.idempotent === "boolean")) return false
  }
  if (data.openWorld !== undefined) {
    if (!(typeof data.openWorld === "boolean")) return false
  }
  for (const key37 of Object.keys(data)) {
    if (key37 !== "readOnly" && key37 !== "destructive" && key37 !== "idempotent" && key37 !== "openWorld") return false
  }
  return true
};
const ref59 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.type !== undefined)) return false
  if (!(data.value !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "boolean")) return false
  if (!(typeof data.value === "string")) return false
  for (const key39 of Object.keys(data)) {
    if (key39 !== "name" && key39 !== "type" && key39 !== "value") return false
  }
  return true
};
const ref56 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.name !== undefined) {
    if (!ref5(data.name)) return false
  }
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let ll = 0; ll < data.inputParameters.length; ll++) {
      if (!ref57(data.inputParameters[ll])) return false
    }
  }
  if (data.ref !== undefined) {
    if (!ref29(data.ref)) return false
  }
  if (data.call !== undefined) {
    if (!ref29(data.call)) return false
  }
  if (data.with !== undefined && hasOwn(data, "with")) {
    if (!ref30(data.with)) return false
  }
  if (data.steps !== undefined) {
    if (!Array.isArray(data.steps)) return false
    if (data.steps.length < 1) return false
    for (let nn = 0; nn < data.steps.length; nn++) {
      if (!ref31(data.steps[nn])) return false
    }
  }
  if (data.mappings !== undefined) {
    if (!Array.isArray(data.mappings)) return false
    for (let oo = 0; oo < data.mappings.length; oo++) {
      if (!ref37(data.mappings[oo])) return false
    }
  }
  if (data.hints !== undefined) {
    if (!ref58(data.hints)) return false
  }
  if (data.outputParameters !== undefined) {
    if (!Array.isArray(data.outputParameters)) return false
  }
  for (const key38 of Object.keys(data)) {
    if (key38 !== "name" && key38 !== "label" && key38 !== "description" && key38 !== "inputParameters" && key38 !== "ref" && key38 !== "call" && key38 !== "with" && key38 !== "steps" && key38 !== "mappings" && key38 !== "hints" && key38 !== "outputParameters") return false
  }
  let sub58 = true
  sub58: {
    if (!(data.name !== undefined)) { sub58 = false; break sub58 }
    if (!(data.description !== undefined)) { sub58 = false; break sub58 }
    if (!(data.call !== undefined)) { sub58 = false; break sub58 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub58 = false; break sub58 }
      for (let pp = 0; pp < data.outputParameters.length; pp++) {
        if (!ref39(data.outputParameters[pp])) { sub58 = false; break sub58 }
      }
    }
  }
  let sub59 = true
  sub59: {
    if (!(data.name !== undefined)) { sub59 = false; break sub59 }
    if (!(data.description !== undefined)) { sub59 = false; break sub59 }
    if (!(data.steps !== undefined)) { sub59 = false; break sub59 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub59 = false; break sub59 }
      for (let qq = 0; qq < data.outputParameters.length; qq++) {
        if (!ref48(data.outputParameters[qq])) { sub59 = false; break sub59 }
      }
    }
  }
  let sub60 = true
  sub60: {
    if (!(data.ref !== undefined)) { sub60 = false; break sub60 }
  }
  let sub61 = true
  sub61: {
    if (!(data.name !== undefined)) { sub61 = false; break sub61 }
    if (!(data.description !== undefined)) { sub61 = false; break sub61 }
    if (!(data.outputParameters !== undefined)) { sub61 = false; break sub61 }
    if (!Array.isArray(data.outputParameters)) { sub61 = false; break sub61 }
    if (data.outputParameters.length < 1) { sub61 = false; break sub61 }
    for (let rr = 0; rr < data.outputParameters.length; rr++) {
      if (!ref59(data.outputParameters[rr])) { sub61 = false; break sub61 }
    }
  }
  if (!(sub58 || sub59 || sub60 || sub61)) return false
  return true
};
const pattern11 = new RegExp("^[a-zA-Z0-9!#$&^_.+-]+\\/[a-zA-Z0-9!#$&^_.+-]+(?:\\s*;\\s*[a-zA-Z0-9!#$&^_.+-]+=(?:[a-zA-Z0-9!#$&^_.+-]+|\"[^\"]*\"))*$", "u");
const ref61 = function validate(data) {
  if (!(typeof data === "string")) return false
  if (!pattern11.test(data)) return false
  return true
};
const ref60 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.label !== undefined)) return false
  if (!(data.uri !== undefined)) return false
  if (!(data.description !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.label === "string")) return false
  if (!(typeof data.uri === "string")) return false
  if (!(typeof data.description === "string")) return false
  if (data.mimeType !== undefined) {
    if (!ref61(data.mimeType)) return false
  }
  if (data.call !== undefined) {
    if (!ref29(data.call)) return false
  }
  if (data.with !== undefined && hasOwn(data, "with")) {
    if (!ref30(data.with)) return false
  }
  if (data.steps !== undefined) {
    if (!Array.isArray(data.steps)) return false
    if (data.steps.length < 1) return false
    for (let tt = 0; tt < data.steps.length; tt++) {
      if (!ref31(data.steps[tt])) return false
    }
  }
  if (data.mappings !== undefined) {
    if (!Array.isArray(data.mappings)) return false
    for (let uu = 0; uu < data.mappings.length; uu++) {
      if (!ref37(data.mappings[uu])) return false
    }
  }
  if (data.outputParameters !== undefined) {
    if (!Array.isArray(data.outputParameters)) return false
  }
  if (data.location !== undefined) {
    if (!ref36(data.location)) return false
  }
  for (const key40 of Object.keys(data)) {
    if (key40 !== "name" && key40 !== "label" && key40 !== "uri" && key40 !== "description" && key40 !== "mimeType" && key40 !== "call" && key40 !== "with" && key40 !== "steps" && key40 !== "mappings" && key40 !== "outputParameters" && key40 !== "location") return false
  }
  let passes10 = 0
  let sub62 = true
  sub62: {
    if (!(data.call !== undefined)) { sub62 = false; break sub62 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub62 = false; break sub62 }
      for (let vv = 0; vv < data.outputParameters.length; vv++) {
        if (!ref39(data.outputParameters[vv])) { sub62 = false; break sub62 }
      }
    }
    let sub63 = true
    sub63: {
      if (!(data.location !== undefined)) { sub63 = false; break sub63 }
    }
    if (sub63) { sub62 = false; break sub62 }
  }
  if (sub62) passes10++
  let sub64 = true
  sub64: {
    if (!(data.steps !== undefined)) { sub64 = false; break sub64 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub64 = false; break sub64 }
      for (let xx = 0; xx < data.outputParameters.length; xx++) {
        if (!ref48(data.outputParameters[xx])) { sub64 = false; break sub64 }
      }
    }
    let sub65 = true
    sub65: {
      if (!(data.location !== undefined)) { sub65 = false; break sub65 }
    }
    if (sub65) { sub64 = false; break sub64 }
  }
  if (sub64) passes10++
  if (passes10 > 1) return false
  let sub66 = true
  sub66: {
    if (!(data.location !== undefined)) { sub66 = false; break sub66 }
    let sub67 = true
    sub67: {
      let sub68 = true
      sub68: {
        if (!(data.call !== undefined)) { sub68 = false; break sub68 }
      }
      let sub69 = true
      sub69: {
        if (!(data.steps !== undefined)) { sub69 = false; break sub69 }
      }
      if (!(sub68 || sub69)) { sub67 = false; break sub67 }
    }
    if (sub67) { sub66 = false; break sub66 }
  }
  if (sub66) passes10++
  if (passes10 !== 1) return false
  return true
};
const ref63 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.description !== undefined)) return false
  if (!ref9(data.name)) return false
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (!(typeof data.description === "string")) return false
  if (data.required !== undefined) {
    if (!(typeof data.required === "boolean")) return false
  }
  for (const key41 of Object.keys(data)) {
    if (key41 !== "name" && key41 !== "label" && key41 !== "description" && key41 !== "required") return false
  }
  return true
};
const ref64 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.role !== undefined)) return false
  if (!(data.content !== undefined)) return false
  if (!(typeof data.role === "string")) return false
  if (!(data.role === "user" || data.role === "assistant")) return false
  if (!(typeof data.content === "string")) return false
  for (const key42 of Object.keys(data)) {
    if (key42 !== "role" && key42 !== "content") return false
  }
  return true
};
const ref62 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.label !== undefined)) return false
  if (!(data.description !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.label === "string")) return false
  if (!(typeof data.description === "string")) return false
  if (data.arguments !== undefined) {
    if (!Array.isArray(data.arguments)) return false
    if (data.arguments.length < 1) return false
    for (let zz = 0; zz < data.arguments.length; zz++) {
      if (!ref63(data.arguments[zz])) return false
    }
  }
  if (data.template !== undefined) {
    if (!Array.isArray(data.template)) return false
    if (data.template.length < 1) return false
    for (let iii = 0; iii < data.template.length; iii++) {
      if (!ref64(data.template[iii])) return false
    }
  }
  if (data.location !== undefined) {
    if (!ref36(data.location)) return false
  }
  for (const key43 of Object.keys(data)) {
    if (key43 !== "name" && key43 !== "label" && key43 !== "description" && key43 !== "arguments" && key43 !== "template" && key43 !== "location") return false
  }
  let passes11 = 0
  let sub70 = true
  sub70: {
    if (!(data.template !== undefined)) { sub70 = false; break sub70 }
    let sub71 = true
    sub71: {
      if (!(data.location !== undefined)) { sub71 = false; break sub71 }
    }
    if (sub71) { sub70 = false; break sub70 }
  }
  if (sub70) passes11++
  let sub72 = true
  sub72: {
    if (!(data.location !== undefined)) { sub72 = false; break sub72 }
    let sub73 = true
    sub73: {
      if (!(data.template !== undefined)) { sub73 = false; break sub73 }
    }
    if (sub73) { sub72 = false; break sub72 }
  }
  if (sub72) passes11++
  if (passes11 !== 1) return false
  return true
};
const ref55 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.namespace !== undefined)) return false
  if (!(data.tools !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "mcp")) return false
  if (data.transport !== undefined) {
    if (!(typeof data.transport === "string")) return false
    if (!(data.transport === "http" || data.transport === "stdio")) return false
  }
  if (data.address !== undefined) {
    if (!ref13(data.address)) return false
  }
  if (data.port !== undefined) {
    if (!ref17(data.port)) return false
  }
  if (!ref5(data.namespace)) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.authentication !== undefined) {
    if (!ref18(data.authentication)) return false
  }
  if (!Array.isArray(data.tools)) return false
  if (data.tools.length < 1) return false
  for (let kk = 0; kk < data.tools.length; kk++) {
    if (!ref56(data.tools[kk])) return false
  }
  if (data.resources !== undefined) {
    if (!Array.isArray(data.resources)) return false
    if (data.resources.length < 1) return false
    for (let ss = 0; ss < data.resources.length; ss++) {
      if (!ref60(data.resources[ss])) return false
    }
  }
  if (data.prompts !== undefined) {
    if (!Array.isArray(data.prompts)) return false
    if (data.prompts.length < 1) return false
    for (let yy = 0; yy < data.prompts.length; yy++) {
      if (!ref62(data.prompts[yy])) return false
    }
  }
  if (data["x-capstan-rateLimit"] !== undefined) {
    if (!ref54(data["x-capstan-rateLimit"])) return false
  }
  for (const key44 of Object.keys(data)) {
    if (key44 !== "type" && key44 !== "transport" && key44 !== "address" && key44 !== "port" && key44 !== "namespace" && key44 !== "description" && key44 !== "authentication" && key44 !== "tools" && key44 !== "resources" && key44 !== "prompts" && key44 !== "x-capstan-rateLimit") return false
  }
  let passes12 = 0
  let sub74 = true
  sub74: {
    if (!(data.transport !== undefined)) { sub74 = false; break sub74 }
    if (!(data.transport === "stdio")) { sub74 = false; break sub74 }
    let sub75 = true
    sub75: {
      if (!(data.port !== undefined)) { sub75 = false; break sub75 }
    }
    if (sub75) { sub74 = false; break sub74 }
  }
  if (sub74) passes12++
  let sub76 = true
  sub76: {
    if (!(data.port !== undefined)) { sub76 = false; break sub76 }
    if (data.transport !== undefined) {
      if (!(data.transport === "http")) { sub76 = false; break sub76 }
    }
  }
  if (sub76) passes12++
  if (passes12 !== 1) return false
  return true
};
const ref67 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.description !== undefined)) return false
  if (!ref5(data.name)) return false
  if (!(typeof data.description === "string")) return false
  if (data.from !== undefined) {
    if (!(typeof data.from === "object" && data.from && !Array.isArray(data.from))) return false
    if (!(data.from.sourceNamespace !== undefined)) return false
    if (!(data.from.action !== undefined)) return false
    if (!(typeof data.from.sourceNamespace === "string")) return false
    if (!(typeof data.from.action === "string")) return false
    for (const key46 of Object.keys(data.from)) {
      if (key46 !== "sourceNamespace" && key46 !== "action") return false
    }
  }
  if (data.instruction !== undefined) {
    if (!(typeof data.instruction === "string")) return false
  }
  for (const key47 of Object.keys(data)) {
    if (key47 !== "name" && key47 !== "description" && key47 !== "from" && key47 !== "instruction") return false
  }
  let passes13 = 0
  let sub78 = true
  sub78: {
    if (!(data.from !== undefined)) { sub78 = false; break sub78 }
  }
  if (sub78) passes13++
  let sub79 = true
  sub79: {
    if (!(data.instruction !== undefined)) { sub79 = false; break sub79 }
  }
  if (sub79) passes13++
  if (passes13 !== 1) return false
  return true
};
const ref66 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.description !== undefined)) return false
  if (!ref5(data.name)) return false
  if (!(typeof data.description === "string")) return false
  if (data.description.length > 1024 && stringLength(data.description) > 1024) return false
  if (data.license !== undefined) {
    if (!(typeof data.license === "string")) return false
  }
  if (data.compatibility !== undefined) {
    if (!(typeof data.compatibility === "string")) return false
    if (data.compatibility.length > 500 && stringLength(data.compatibility) > 500) return false
  }
  if (data.metadata !== undefined) {
    if (!(typeof data.metadata === "object" && data.metadata && !Array.isArray(data.metadata))) return false
    for (const key45 of Object.keys(data.metadata)) {
      if (!(typeof data.metadata[key45] === "string")) return false
    }
  }
  if (data["allowed-tools"] !== undefined) {
    if (!(typeof data["allowed-tools"] === "string")) return false
    if (data["allowed-tools"].length > 1024 && stringLength(data["allowed-tools"]) > 1024) return false
  }
  if (data["argument-hint"] !== undefined) {
    if (!(typeof data["argument-hint"] === "string")) return false
  }
  if (data["user-invocable"] !== undefined) {
    if (!(typeof data["user-invocable"] === "boolean")) return false
  }
  if (data["disable-model-invocation"] !== undefined) {
    if (!(typeof data["disable-model-invocation"] === "boolean")) return false
  }
  if (data.location !== undefined) {
    if (!ref36(data.location)) return false
  }
  if (data.tools !== undefined) {
    if (!Array.isArray(data.tools)) return false
    if (data.tools.length < 1) return false
    for (let kkk = 0; kkk < data.tools.length; kkk++) {
      if (!ref67(data.tools[kkk])) return false
    }
  }
  for (const key48 of Object.keys(data)) {
    if (key48 !== "name" && key48 !== "description" && key48 !== "license" && key48 !== "compatibility" && key48 !== "metadata" && key48 !== "allowed-tools" && key48 !== "argument-hint" && key48 !== "user-invocable" && key48 !== "disable-model-invocation" && key48 !== "location" && key48 !== "tools") return false
  }
  return true
};
const ref65 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.port !== undefined)) return false
  if (!(data.namespace !== undefined)) return false
  if (!(data.skills !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "skill")) return false
  if (data.address !== undefined) {
    if (!ref13(data.address)) return false
  }
  if (!ref17(data.port)) return false
  if (!ref5(data.namespace)) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.authentication !== undefined) {
    if (!ref18(data.authentication)) return false
  }
  if (!Array.isArray(data.skills)) return false
  if (data.skills.length < 1) return false
  for (let jjj = 0; jjj < data.skills.length; jjj++) {
    if (!ref66(data.skills[jjj])) return false
  }
  for (const key49 of Object.keys(data)) {
    if (key49 !== "type" && key49 !== "address" && key49 !== "port" && key49 !== "namespace" && key49 !== "description" && key49 !== "authentication" && key49 !== "skills") return false
  }
  return true
};
const ref70 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data["level-control"] !== undefined) {
    if (!(typeof data["level-control"] === "boolean")) return false
  }
  if (data.stream !== undefined) {
    if (!(typeof data.stream === "boolean")) return false
  }
  if (data["max-subscribers"] !== undefined) {
    if (!(Number.isInteger(data["max-subscribers"]))) return false
    if (!(1 <= data["max-subscribers"])) return false
    if (!(20 >= data["max-subscribers"])) return false
  }
  for (const key50 of Object.keys(data)) {
    if (key50 !== "level-control" && key50 !== "stream" && key50 !== "max-subscribers") return false
  }
  return true
};
const ref71 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.enabled !== undefined) {
    if (!(typeof data.enabled === "boolean")) return false
  }
  if (data.defaultLocation !== undefined) {
    if (!ref36(data.defaultLocation)) return false
  }
  if (data.defaultLanguage !== undefined) {
    if (!(typeof data.defaultLanguage === "string")) return false
    if (!(data.defaultLanguage === "javascript" || data.defaultLanguage === "python" || data.defaultLanguage === "groovy")) return false
  }
  if (data.timeout !== undefined) {
    if (!Number.isInteger(data.timeout)) return false
    if (!(1 <= data.timeout)) return false
  }
  if (data.statementLimit !== undefined) {
    if (!Number.isInteger(data.statementLimit)) return false
    if (!(1 <= data.statementLimit)) return false
  }
  if (data.allowedLanguages !== undefined) {
    if (!Array.isArray(data.allowedLanguages)) return false
    for (let lll = 0; lll < data.allowedLanguages.length; lll++) {
      if (!(typeof data.allowedLanguages[lll] === "string")) return false
      if (!(data.allowedLanguages[lll] === "javascript" || data.allowedLanguages[lll] === "python" || data.allowedLanguages[lll] === "groovy")) return false
    }
  }
  for (const key51 of Object.keys(data)) {
    if (key51 !== "enabled" && key51 !== "defaultLocation" && key51 !== "defaultLanguage" && key51 !== "timeout" && key51 !== "statementLimit" && key51 !== "allowedLanguages") return false
  }
  return true
};
const ref69 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.health !== undefined) {
    if (!(typeof data.health === "boolean")) return false
  }
  if (data.info !== undefined) {
    if (!(typeof data.info === "boolean")) return false
  }
  if (data.reload !== undefined) {
    if (!(typeof data.reload === "boolean")) return false
  }
  if (data.validate !== undefined) {
    if (!(typeof data.validate === "boolean")) return false
  }
  if (data.logs !== undefined) {
    let passes14 = 0
    let sub81 = true
    sub81: {
      if (!(typeof data.logs === "boolean")) { sub81 = false; break sub81 }
    }
    if (sub81) passes14++
    let sub82 = true
    sub82: {
      if (!ref70(data.logs)) { sub82 = false; break sub82 }
    }
    if (sub82) passes14++
    if (passes14 !== 1) return false
  }
  if (data.scripting !== undefined) {
    if (!ref71(data.scripting)) return false
  }
  for (const key52 of Object.keys(data)) {
    if (key52 !== "health" && key52 !== "info" && key52 !== "reload" && key52 !== "validate" && key52 !== "logs" && key52 !== "scripting") return false
  }
  return true
};
const ref74 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.enabled !== undefined) {
    if (!(typeof data.enabled === "boolean")) return false
  }
  for (const key53 of Object.keys(data)) {
    if (key53 !== "enabled") return false
  }
  return true
};
const ref73 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.local !== undefined) {
    if (!ref74(data.local)) return false
  }
  for (const key54 of Object.keys(data)) {
    if (key54 !== "local") return false
  }
  return true
};
const ref76 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.enabled !== undefined) {
    if (!(typeof data.enabled === "boolean")) return false
  }
  if (data["buffer-size"] !== undefined) {
    if (!(Number.isInteger(data["buffer-size"]))) return false
    if (!(10 <= data["buffer-size"])) return false
    if (!(10000 >= data["buffer-size"])) return false
  }
  for (const key55 of Object.keys(data)) {
    if (key55 !== "buffer-size" && key55 !== "enabled") return false
  }
  return true
};
const ref75 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.sampling !== undefined) {
    if (!(typeof data.sampling === "number")) return false
    if (!(0 <= data.sampling)) return false
    if (!(1 >= data.sampling)) return false
  }
  if (data.propagation !== undefined) {
    if (!(typeof data.propagation === "string")) return false
    if (!(data.propagation === "w3c" || data.propagation === "b3")) return false
  }
  if (data.local !== undefined) {
    if (!ref76(data.local)) return false
  }
  for (const key56 of Object.keys(data)) {
    if (key56 !== "local" && key56 !== "propagation" && key56 !== "sampling") return false
  }
  return true
};
const ref78 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.endpoint !== undefined)) return false
  if (!(typeof data.endpoint === "string")) return false
  for (const key57 of Object.keys(data)) {
    if (key57 !== "endpoint") return false
  }
  return true
};
const ref77 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.otlp !== undefined) {
    if (!ref78(data.otlp)) return false
  }
  for (const key58 of Object.keys(data)) {
    if (key58 !== "otlp") return false
  }
  return true
};
const ref72 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.enabled !== undefined) {
    if (!(typeof data.enabled === "boolean")) return false
  }
  if (data.metrics !== undefined) {
    if (!ref73(data.metrics)) return false
  }
  if (data.traces !== undefined) {
    if (!ref75(data.traces)) return false
  }
  if (data.exporters !== undefined) {
    if (!ref77(data.exporters)) return false
  }
  for (const key59 of Object.keys(data)) {
    if (key59 !== "enabled" && key59 !== "exporters" && key59 !== "metrics" && key59 !== "traces") return false
  }
  return true
};
const ref68 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.port !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "control")) return false
  if (data.address !== undefined) {
    if (!ref13(data.address)) return false
  }
  if (!ref17(data.port)) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data.authentication !== undefined) {
    if (!ref18(data.authentication)) return false
  }
  if (data.management !== undefined) {
    if (!ref69(data.management)) return false
  }
  if (data.observability !== undefined) {
    if (!ref72(data.observability)) return false
  }
  for (const key60 of Object.keys(data)) {
    if (key60 !== "type" && key60 !== "address" && key60 !== "port" && key60 !== "description" && key60 !== "authentication" && key60 !== "management" && key60 !== "observability") return false
  }
  return true
};
const ref11 = function validate(data) {
  let passes0 = 0
  let sub5 = true
  sub5: {
    if (!ref12(data)) { sub5 = false; break sub5 }
  }
  if (sub5) passes0++
  let sub51 = true
  sub51: {
    if (!ref55(data)) { sub51 = false; break sub51 }
  }
  if (sub51) passes0++
  if (passes0 > 1) return false
  let sub77 = true
  sub77: {
    if (!ref65(data)) { sub77 = false; break sub77 }
  }
  if (sub77) passes0++
  if (passes0 > 1) return false
  let sub80 = true
  sub80: {
    if (!ref68(data)) { sub80 = false; break sub80 }
  }
  if (sub80) passes0++
  if (passes0 !== 1) return false
  return true
};
const pattern12 = new RegExp("^https?:\\/\\/[^/]+(\\/[^{]*)?$", "u");
const pattern13 = new RegExp("\\{", "u");
const ref81 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.in !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.in === "string")) return false
  if (!(data.in === "query" || data.in === "header" || data.in === "path" || data.in === "cookie" || data.in === "body" || data.in === "environment")) return false
  if (data.value !== undefined) {
    if (!(typeof data.value === "string")) return false
  }
  if (data.type !== undefined) {
    if (!(typeof data.type === "string")) return false
    if (!(data.type === "string" || data.type === "number" || data.type === "integer" || data.type === "boolean" || data.type === "array" || data.type === "object")) return false
  }
  if (data.required !== undefined) {
    if (!(typeof data.required === "boolean")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (data["x-capstan-enum"] !== undefined) {
    if (!(Array.isArray(data["x-capstan-enum"]))) return false
    if (data["x-capstan-enum"].length < 1) return false
    for (let ooo = 0; ooo < data["x-capstan-enum"].length; ooo++) {
      let sub86 = true
      sub86: {
        if (!(typeof data["x-capstan-enum"][ooo] === "string")) { sub86 = false; break sub86 }
      }
      let sub87 = true
      sub87: {
        if (!(typeof data["x-capstan-enum"][ooo] === "number")) { sub87 = false; break sub87 }
      }
      let sub88 = true
      sub88: {
        if (!(typeof data["x-capstan-enum"][ooo] === "boolean")) { sub88 = false; break sub88 }
      }
      if (!(sub86 || sub87 || sub88)) return false
    }
    if (!unique(data["x-capstan-enum"])) return false
  }
  for (const key61 of Object.keys(data)) {
    if (key61 !== "name" && key61 !== "in" && key61 !== "value" && key61 !== "type" && key61 !== "required" && key61 !== "description" && key61 !== "x-capstan-enum") return false
  }
  return true
};
const ref82 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  return true
};
const ref85 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.type !== undefined)) return false
  if (!(data.value !== undefined)) return false
  if (!ref9(data.name)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "string" || data.type === "number" || data.type === "boolean" || data.type === "object" || data.type === "array")) return false
  if (!(typeof data.value === "string")) return false
  for (const key62 of Object.keys(data)) {
    if (key62 !== "name" && key62 !== "type" && key62 !== "value") return false
  }
  return true
};
const ref87 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.data !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "json")) return false
  let passes17 = 0
  let sub92 = true
  sub92: {
    if (!(typeof data.data === "string")) { sub92 = false; break sub92 }
  }
  if (sub92) passes17++
  let sub93 = true
  sub93: {
    if (!(typeof data.data === "object" && data.data && !Array.isArray(data.data))) { sub93 = false; break sub93 }
  }
  if (sub93) passes17++
  if (passes17 > 1) return false
  let sub94 = true
  sub94: {
    if (!Array.isArray(data.data)) { sub94 = false; break sub94 }
  }
  if (sub94) passes17++
  if (passes17 !== 1) return false
  for (const key63 of Object.keys(data)) {
    if (key63 !== "type" && key63 !== "data") return false
  }
  return true
};
const ref88 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.data !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "text" || data.type === "xml" || data.type === "sparql")) return false
  if (!(typeof data.data === "string")) return false
  for (const key64 of Object.keys(data)) {
    if (key64 !== "type" && key64 !== "data") return false
  }
  return true
};
const ref89 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.data !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "formUrlEncoded")) return false
  let passes18 = 0
  let sub97 = true
  sub97: {
    if (!(typeof data.data === "string")) { sub97 = false; break sub97 }
  }
  if (sub97) passes18++
  let sub98 = true
  sub98: {
    if (!(typeof data.data === "object" && data.data && !Array.isArray(data.data))) { sub98 = false; break sub98 }
    for (const key65 of Object.keys(data.data)) {
      if (!(typeof data.data[key65] === "string")) { sub98 = false; break sub98 }
    }
  }
  if (sub98) passes18++
  if (passes18 !== 1) return false
  for (const key66 of Object.keys(data)) {
    if (key66 !== "type" && key66 !== "data") return false
  }
  return true
};
const ref91 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.value !== undefined)) return false
  if (!(typeof data.name === "string")) return false
  if (!(typeof data.value === "string")) return false
  if (data.filename !== undefined) {
    if (!(typeof data.filename === "string")) return false
  }
  if (data.contentType !== undefined) {
    if (!(typeof data.contentType === "string")) return false
  }
  for (const key67 of Object.keys(data)) {
    if (key67 !== "name" && key67 !== "value" && key67 !== "filename" && key67 !== "contentType") return false
  }
  return true
};
const ref90 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.data !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "multipartForm")) return false
  if (!Array.isArray(data.data)) return false
  for (let uuu = 0; uuu < data.data.length; uuu++) {
    if (!ref91(data.data[uuu])) return false
  }
  for (const key68 of Object.keys(data)) {
    if (key68 !== "type" && key68 !== "data") return false
  }
  return true
};
const ref92 = function validate(data) {
  if (!(typeof data === "string")) return false
  return true
};
const ref93 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.data !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  let sub102 = true
  sub102: {
    if (!(data.type === "json" || data.type === "text" || data.type === "xml" || data.type === "sparql" || data.type === "formUrlEncoded" || data.type === "multipartForm")) { sub102 = false; break sub102 }
  }
  if (sub102) return false
  for (const key69 of Object.keys(data)) {
    if (key69 !== "type" && key69 !== "data") return false
  }
  return true
};
const ref94 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.type !== undefined)) return false
  if (!(data.data !== undefined)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "multipartForm")) return false
  if (!(typeof data.data === "object" && data.data && !Array.isArray(data.data))) return false
  for (const key70 of Object.keys(data.data)) {
    let sub104 = true
    sub104: {
      if (!(typeof data.data[key70] === "string")) { sub104 = false; break sub104 }
    }
    let sub105 = true
    sub105: {
      if (!(typeof data.data[key70] === "number")) { sub105 = false; break sub105 }
    }
    let sub106 = true
    sub106: {
      if (!(typeof data.data[key70] === "boolean")) { sub106 = false; break sub106 }
    }
    if (!(sub104 || sub105 || sub106)) return false
  }
  for (const key71 of Object.keys(data)) {
    if (key71 !== "type" && key71 !== "data") return false
  }
  return true
};
const ref86 = function validate(data) {
  let passes16 = 0
  let sub91 = true
  sub91: {
    if (!ref87(data)) { sub91 = false; break sub91 }
  }
  if (sub91) passes16++
  let sub95 = true
  sub95: {
    if (!ref88(data)) { sub95 = false; break sub95 }
  }
  if (sub95) passes16++
  if (passes16 > 1) return false
  let sub96 = true
  sub96: {
    if (!ref89(data)) { sub96 = false; break sub96 }
  }
  if (sub96) passes16++
  if (passes16 > 1) return false
  let sub99 = true
  sub99: {
    if (!ref90(data)) { sub99 = false; break sub99 }
  }
  if (sub99) passes16++
  if (passes16 > 1) return false
  let sub100 = true
  sub100: {
    if (!ref92(data)) { sub100 = false; break sub100 }
  }
  if (sub100) passes16++
  if (passes16 > 1) return false
  let sub101 = true
  sub101: {
    if (!ref93(data)) { sub101 = false; break sub101 }
  }
  if (sub101) passes16++
  if (passes16 > 1) return false
  let sub103 = true
  sub103: {
    if (!ref94(data)) { sub103 = false; break sub103 }
  }
  if (sub103) passes16++
  if (passes16 !== 1) return false
  return true
};
const ref95 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.retry !== undefined) {
    if (!(typeof data.retry === "object" && data.retry && !Array.isArray(data.retry))) return false
    if (data.retry.attempts !== undefined) {
      if (!Number.isInteger(data.retry.attempts)) return false
      if (!(0 <= data.retry.attempts)) return false
      if (!(10 >= data.retry.attempts)) return false
    }
    if (data.retry.waitDuration !== undefined) {
      if (!Number.isInteger(data.retry.waitDuration)) return false
      if (!(0 <= data.retry.waitDuration)) return false
    }
    if (data.retry.maxWaitDuration !== undefined) {
      if (!Number.isInteger(data.retry.maxWaitDuration)) return false
      if (!(0 <= data.retry.maxWaitDuration)) return false
    }
    if (data.retry.backoff !== undefined) {
      if (!(typeof data.retry.backoff === "string")) return false
      if (!(data.retry.backoff === "exponential" || data.retry.backoff === "fixed")) return false
    }
    if (data.retry.retryOn !== undefined) {
      if (!Array.isArray(data.retry.retryOn)) return false
      for (let vvv = 0; vvv < data.retry.retryOn.length; vvv++) {
        if (!(Number.isInteger(data.retry.retryOn[vvv]))) return false
        if (!(400 <= data.retry.retryOn[vvv])) return false
        if (!(599 >= data.retry.retryOn[vvv])) return false
      }
    }
    if (data.retry.idempotent !== undefined) {
      if (!(typeof data.retry.idempotent === "boolean")) return false
    }
    for (const key72 of Object.keys(data.retry)) {
      if (key72 !== "attempts" && key72 !== "waitDuration" && key72 !== "maxWaitDuration" && key72 !== "backoff" && key72 !== "retryOn" && key72 !== "idempotent") return false
    }
  }
  if (data.circuitBreaker !== undefined) {
    if (!(typeof data.circuitBreaker === "object" && data.circuitBreaker && !Array.isArray(data.circuitBreaker))) return false
    if (data.circuitBreaker.failureRateThreshold !== undefined) {
      if (!(typeof data.circuitBreaker.failureRateThreshold === "number")) return false
      if (!(0 < data.circuitBreaker.failureRateThreshold)) return false
      if (!(100 >= data.circuitBreaker.failureRateThreshold)) return false
    }
    if (data.circuitBreaker.minimumNumberOfCalls !== undefined) {
      if (!Number.isInteger(data.circuitBreaker.minimumNumberOfCalls)) return false
      if (!(1 <= data.circuitBreaker.minimumNumberOfCalls)) return false
    }
    if (data.circuitBreaker.slidingWindowDuration !== undefined) {
      if (!Number.isInteger(data.circuitBreaker.slidingWindowDuration)) return false
      if (!(100 <= data.circuitBreaker.slidingWindowDuration)) return false
    }
    if (data.circuitBreaker.waitDurationInOpenState !== undefined) {
      if (!Number.isInteger(data.circuitBreaker.waitDurationInOpenState)) return false
      if (!(1 <= data.circuitBreaker.waitDurationInOpenState)) return false
    }
    for (const key73 of Object.keys(data.circuitBreaker)) {
      if (key73 !== "failureRateThreshold" && key73 !== "minimumNumberOfCalls" && key73 !== "slidingWindowDuration" && key73 !== "waitDurationInOpenState") return false
    }
  }
  if (data.rateLimiter !== undefined) {
    if (!(typeof data.rateLimiter === "object" && data.rateLimiter && !Array.isArray(data.rateLimiter))) return false
    if (!(data.rateLimiter.limitForPeriod !== undefined)) return false
    if (!Number.isInteger(data.rateLimiter.limitForPeriod)) return false
    if (!(1 <= data.rateLimiter.limitForPeriod)) return false
    if (data.rateLimiter.limitRefreshPeriod !== undefined) {
      if (!Number.isInteger(data.rateLimiter.limitRefreshPeriod)) return false
      if (!(1 <= data.rateLimiter.limitRefreshPeriod)) return false
    }
    if (data.rateLimiter.timeoutDuration !== undefined) {
      if (!Number.isInteger(data.rateLimiter.timeoutDuration)) return false
      if (!(0 <= data.rateLimiter.timeoutDuration)) return false
    }
    for (const key74 of Object.keys(data.rateLimiter)) {
      if (key74 !== "limitForPeriod" && key74 !== "limitRefreshPeriod" && key74 !== "timeoutDuration") return false
    }
  }
  if (data.cache !== undefined) {
    if (!(typeof data.cache === "object" && data.cache && !Array.isArray(data.cache))) return false
    if (data.cache.ttl !== undefined) {
      if (!Number.isInteger(data.cache.ttl)) return false
      if (!(0 <= data.cache.ttl)) return false
    }
    for (const key75 of Object.keys(data.cache)) {
      if (key75 !== "ttl") return false
    }
  }
  for (const key76 of Object.keys(data)) {
    if (key76 !== "retry" && key76 !== "circuitBreaker" && key76 !== "rateLimiter" && key76 !== "cache") return false
  }
  return true
};
const ref84 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.method !== undefined)) return false
  if (!ref5(data.name)) return false
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (!ref28(data.method)) return false
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let sss = 0; sss < data.inputParameters.length; sss++) {
      if (!ref81(data.inputParameters[sss])) return false
    }
  }
  if (data.outputRawFormat !== undefined) {
    if (!(typeof data.outputRawFormat === "string")) return false
    if (!(data.outputRawFormat === "json" || data.outputRawFormat === "xml" || data.outputRawFormat === "avro" || data.outputRawFormat === "protobuf" || data.outputRawFormat === "csv" || data.outputRawFormat === "tsv" || data.outputRawFormat === "psv" || data.outputRawFormat === "yaml" || data.outputRawFormat === "html" || data.outputRawFormat === "markdown")) return false
  }
  if (data.outputSchema !== undefined) {
    if (!(typeof data.outputSchema === "string")) return false
  }
  if (data.outputParameters !== undefined) {
    if (!Array.isArray(data.outputParameters)) return false
    for (let ttt = 0; ttt < data.outputParameters.length; ttt++) {
      if (!ref85(data.outputParameters[ttt])) return false
    }
  }
  if (data.body !== undefined) {
    if (!ref86(data.body)) return false
  }
  if (data.resiliency !== undefined) {
    if (!ref95(data.resiliency)) return false
  }
  for (const key77 of Object.keys(data)) {
    if (key77 !== "name" && key77 !== "label" && key77 !== "description" && key77 !== "method" && key77 !== "inputParameters" && key77 !== "outputRawFormat" && key77 !== "outputSchema" && key77 !== "outputParameters" && key77 !== "body" && key77 !== "resiliency") return false
  }
  return true
};
const ref83 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.path !== undefined)) return false
  if (!(data.operations !== undefined)) return false
  if (!ref5(data.name)) return false
  if (data.label !== undefined) {
    if (!(typeof data.label === "string")) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  if (!(typeof data.path === "string")) return false
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let qqq = 0; qqq < data.inputParameters.length; qqq++) {
      if (!ref81(data.inputParameters[qqq])) return false
    }
  }
  if (!Array.isArray(data.operations)) return false
  if (data.operations.length < 1) return false
  for (let rrr = 0; rrr < data.operations.length; rrr++) {
    if (!ref84(data.operations[rrr])) return false
  }
  if (data.resiliency !== undefined) {
    if (!ref95(data.resiliency)) return false
  }
  for (const key78 of Object.keys(data)) {
    if (key78 !== "name" && key78 !== "label" && key78 !== "description" && key78 !== "path" && key78 !== "inputParameters" && key78 !== "operations" && key78 !== "resiliency") return false
  }
  return true
};
const ref80 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.namespace !== undefined)) return false
  if (!(data.type !== undefined)) return false
  if (!(data.baseUri !== undefined)) return false
  if (!ref5(data.namespace)) return false
  if (!(typeof data.type === "string")) return false
  if (!(data.type === "http")) return false
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  let sub84 = true
  sub84: {
    if (!(typeof data.baseUri === "string")) { sub84 = false; break sub84 }
    if (!pattern12.test(data.baseUri)) { sub84 = false; break sub84 }
  }
  let sub85 = true
  sub85: {
    if (!(typeof data.baseUri === "string")) { sub85 = false; break sub85 }
    if (!pattern13.test(data.baseUri)) { sub85 = false; break sub85 }
  }
  if (!(sub84 || sub85)) return false
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let nnn = 0; nnn < data.inputParameters.length; nnn++) {
      if (!ref81(data.inputParameters[nnn])) return false
    }
  }
  if (data.authentication !== undefined) {
    let sub89 = true
    sub89: {
      if (!ref18(data.authentication)) { sub89 = false; break sub89 }
    }
    let sub90 = true
    sub90: {
      if (!ref82(data.authentication)) { sub90 = false; break sub90 }
    }
    if (!(sub89 || sub90)) return false
  }
  if (data.resources !== undefined) {
    if (!Array.isArray(data.resources)) return false
    if (data.resources.length < 1) return false
    for (let ppp = 0; ppp < data.resources.length; ppp++) {
      if (!ref83(data.resources[ppp])) return false
    }
  }
  if (data.resiliency !== undefined) {
    if (!ref95(data.resiliency)) return false
  }
  for (const key79 of Object.keys(data)) {
    if (key79 !== "namespace" && key79 !== "type" && key79 !== "description" && key79 !== "baseUri" && key79 !== "inputParameters" && key79 !== "authentication" && key79 !== "resources" && key79 !== "resiliency") return false
  }
  return true
};
const ref96 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.location !== undefined)) return false
  if (!(data.import !== undefined)) return false
  if (!(typeof data.location === "string")) return false
  if (!ref5(data.import)) return false
  if (data.as !== undefined) {
    if (!ref5(data.as)) return false
  }
  if (data.description !== undefined) {
    if (!(typeof data.description === "string")) return false
  }
  for (const key80 of Object.keys(data)) {
    if (key80 !== "location" && key80 !== "import" && key80 !== "as" && key80 !== "description") return false
  }
  return true
};
const ref79 = function validate(data) {
  let passes15 = 0
  let sub83 = true
  sub83: {
    if (!ref80(data)) { sub83 = false; break sub83 }
  }
  if (sub83) passes15++
  let sub107 = true
  sub107: {
    if (!ref96(data)) { sub107 = false; break sub107 }
  }
  if (sub107) passes15++
  if (passes15 !== 1) return false
  return true
};
const ref99 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.safe !== undefined) {
    if (!(typeof data.safe === "boolean")) return false
  }
  if (data.idempotent !== undefined) {
    if (!(typeof data.idempotent === "boolean")) return false
  }
  if (data.cacheable !== undefined) {
    if (!(typeof data.cacheable === "boolean")) return false
  }
  for (const key81 of Object.keys(data)) {
    if (key81 !== "safe" && key81 !== "idempotent" && key81 !== "cacheable") return false
  }
  return true
};
const ref98 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.name !== undefined)) return false
  if (!(data.description !== undefined)) return false
  if (!ref5(data.name)) return false
  if (!(typeof data.description === "string")) return false
  if (data.semantics !== undefined) {
    if (!ref99(data.semantics)) return false
  }
  if (data.inputParameters !== undefined) {
    if (!Array.isArray(data.inputParameters)) return false
    for (let zzz = 0; zzz < data.inputParameters.length; zzz++) {
      if (!ref57(data.inputParameters[zzz])) return false
    }
  }
  if (data.call !== undefined) {
    if (!ref29(data.call)) return false
  }
  if (data.with !== undefined && hasOwn(data, "with")) {
    if (!ref30(data.with)) return false
  }
  if (data.steps !== undefined) {
    if (!Array.isArray(data.steps)) return false
    if (data.steps.length < 1) return false
    for (let iiii = 0; iiii < data.steps.length; iiii++) {
      if (!ref31(data.steps[iiii])) return false
    }
  }
  if (data.mappings !== undefined) {
    if (!Array.isArray(data.mappings)) return false
    for (let jjjj = 0; jjjj < data.mappings.length; jjjj++) {
      if (!ref37(data.mappings[jjjj])) return false
    }
  }
  if (data.outputParameters !== undefined) {
    if (!Array.isArray(data.outputParameters)) return false
  }
  for (const key82 of Object.keys(data)) {
    if (key82 !== "name" && key82 !== "description" && key82 !== "semantics" && key82 !== "inputParameters" && key82 !== "call" && key82 !== "with" && key82 !== "steps" && key82 !== "mappings" && key82 !== "outputParameters") return false
  }
  let sub108 = true
  sub108: {
    if (!(data.call !== undefined)) { sub108 = false; break sub108 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub108 = false; break sub108 }
      for (let kkkk = 0; kkkk < data.outputParameters.length; kkkk++) {
        if (!ref39(data.outputParameters[kkkk])) { sub108 = false; break sub108 }
      }
    }
  }
  let sub109 = true
  sub109: {
    if (!(data.steps !== undefined)) { sub109 = false; break sub109 }
    if (data.outputParameters !== undefined) {
      if (!Array.isArray(data.outputParameters)) { sub109 = false; break sub109 }
      for (let llll = 0; llll < data.outputParameters.length; llll++) {
        if (!ref48(data.outputParameters[llll])) { sub109 = false; break sub109 }
      }
    }
  }
  let sub110 = true
  sub110: {
    if (!(data.outputParameters !== undefined)) { sub110 = false; break sub110 }
    if (!Array.isArray(data.outputParameters)) { sub110 = false; break sub110 }
    if (data.outputParameters.length < 1) { sub110 = false; break sub110 }
    for (let mmmm = 0; mmmm < data.outputParameters.length; mmmm++) {
      if (!ref59(data.outputParameters[mmmm])) { sub110 = false; break sub110 }
    }
  }
  if (!(sub108 || sub109 || sub110)) return false
  return true
};
const ref97 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (!(data.label !== undefined)) return false
  if (!(data.namespace !== undefined)) return false
  if (!(data.functions !== undefined)) return false
  if (!(typeof data.label === "string")) return false
  if (!ref5(data.namespace)) return false
  if (!Array.isArray(data.functions)) return false
  if (data.functions.length < 1) return false
  for (let yyy = 0; yyy < data.functions.length; yyy++) {
    if (!ref98(data.functions[yyy])) return false
  }
  for (const key83 of Object.keys(data)) {
    if (key83 !== "label" && key83 !== "namespace" && key83 !== "functions") return false
  }
  return true
};
const ref10 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.binds !== undefined) {
    if (!Array.isArray(data.binds)) return false
    if (data.binds.length < 1) return false
    for (let l = 0; l < data.binds.length; l++) {
      if (!ref4(data.binds[l])) return false
    }
  }
  if (data.exposes !== undefined) {
    if (!Array.isArray(data.exposes)) return false
    if (data.exposes.length < 1) return false
    for (let m = 0; m < data.exposes.length; m++) {
      if (!ref11(data.exposes[m])) return false
    }
  }
  if (data.consumes !== undefined) {
    if (!Array.isArray(data.consumes)) return false
    if (data.consumes.length < 1) return false
    for (let mmm = 0; mmm < data.consumes.length; mmm++) {
      if (!ref79(data.consumes[mmm])) return false
    }
  }
  if (data.aggregates !== undefined) {
    if (!Array.isArray(data.aggregates)) return false
    if (data.aggregates.length < 1) return false
    for (let xxx = 0; xxx < data.aggregates.length; xxx++) {
      if (!ref97(data.aggregates[xxx])) return false
    }
  }
  if (data.resiliency !== undefined) {
    if (!ref95(data.resiliency)) return false
  }
  for (const key84 of Object.keys(data)) {
    if (key84 !== "binds" && key84 !== "exposes" && key84 !== "consumes" && key84 !== "aggregates" && key84 !== "resiliency") return false
  }
  let sub111 = true
  sub111: {
    if (!(data.exposes !== undefined)) { sub111 = false; break sub111 }
  }
  let sub112 = true
  sub112: {
    if (!(data.consumes !== undefined)) { sub112 = false; break sub112 }
  }
  if (!(sub111 || sub112)) return false
  return true
};
const ref0 = function validate(data) {
  if (!(typeof data === "object" && data && !Array.isArray(data))) return false
  if (data.naftiko !== undefined) {
    if (!(typeof data.naftiko === "string")) return false
    if (!(data.naftiko === "1.0.0-alpha2" || data.naftiko === "1.0.0-alpha3")) return false
  }
  if (data.info !== undefined) {
    if (!ref1(data.info)) return false
  }
  if (data.binds !== undefined) {
    if (!Array.isArray(data.binds)) return false
    if (data.binds.length < 1) return false
    for (let k = 0; k < data.binds.length; k++) {
      if (!ref4(data.binds[k])) return false
    }
  }
  if (data.capability !== undefined) {
    if (!ref10(data.capability)) return false
  }
  if (data.consumes !== undefined) {
    if (!Array.isArray(data.consumes)) return false
    if (data.consumes.length < 1) return false
    for (let nnnn = 0; nnnn < data.consumes.length; nnnn++) {
      if (!ref79(data.consumes[nnnn])) return false
    }
  }
  for (const key85 of Object.keys(data)) {
    if (key85 !== "naftiko" && key85 !== "info" && key85 !== "binds" && key85 !== "capability" && key85 !== "consumes") return false
  }
  let passes19 = 0
  let sub113 = true
  sub113: {
    if (!(data.naftiko !== undefined)) { sub113 = false; break sub113 }
    if (!(data.capability !== undefined)) { sub113 = false; break sub113 }
  }
  if (sub113) passes19++
  let sub114 = true
  sub114: {
    if (!(data.naftiko !== undefined)) { sub114 = false; break sub114 }
    if (!(data.consumes !== undefined)) { sub114 = false; break sub114 }
  }
  if (sub114) passes19++
  if (passes19 !== 1) return false
  return true
};
return ref0})();;
export default validate;
