// The secret of the targets that sign tokens (jwt, router): inputs signed with it reach the claims code.

import Security

let secret = "fuzz-secret-0123456789-0123456789"
let signer = JWTSigner(secret: secret)
