package localbridge

// EncryptForTest lets the external (Chromium) tests check the JS SDK's
// 3DES against the same reference encryption the unit tests use.
var EncryptForTest = encryptForTest
