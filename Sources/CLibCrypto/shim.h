#ifndef LATTICETOP_CLIBCRYPTO_SHIM_H
#define LATTICETOP_CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>

/// The ed25519 public key of a 32-byte seed, through OpenSSL's EVP interface (a function, because
/// `EVP_PKEY_ED25519` is a macro of a macro, which Swift does not import). Returns 1 on success.
static inline int latticetop_ed25519_public_key(const unsigned char *seed, unsigned char *out32) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    if (key == NULL) return 0;
    size_t length = 32;
    int ok = EVP_PKEY_get_raw_public_key(key, out32, &length) == 1 && length == 32;
    EVP_PKEY_free(key);
    return ok;
}

/// The 64-byte ed25519 signature of `length` bytes at `message` with a 32-byte seed. Returns 1 on
/// success.
static inline int latticetop_ed25519_sign(const unsigned char *seed, const unsigned char *message, size_t length,
                                          unsigned char *out64) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    if (key == NULL) return 0;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t signatureLength = 64;
    int ok = context != NULL
        && EVP_DigestSignInit(context, NULL, NULL, NULL, key) == 1
        && EVP_DigestSign(context, out64, &signatureLength, message, length) == 1
        && signatureLength == 64;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    return ok;
}
#endif
