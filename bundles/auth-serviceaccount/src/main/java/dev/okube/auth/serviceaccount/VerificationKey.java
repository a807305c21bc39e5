package dev.okube.auth.serviceaccount;

import java.security.interfaces.RSAPublicKey;

/**
 * What the authenticator needs from the issuer: the public key and the settings tokens are checked
 * against. A service private to this bundle, so the key pair has exactly one owner.
 */
interface VerificationKey {
    RSAPublicKey publicKey();

    TokenSigner.Settings settings();
}
