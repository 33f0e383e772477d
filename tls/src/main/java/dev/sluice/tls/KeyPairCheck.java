package dev.sluice.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** Proves a private key belongs to a certificate: it signs, the certificate's public key verifies. */
final class KeyPairCheck {
    private static final byte[] CHALLENGE = "sluice key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    static void requireMatch(CertifiedKey loaded) throws KeyMaterialException {
        PublicKey certKey = loaded.certificate().getPublicKey();
        String algorithm = loaded.key().getAlgorithm();
        String signature = switch (algorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new KeyMaterialException(loaded.source() + ": unsupported key algorithm "
                    + algorithm + "; use RSA or EC");
        };
        if (!certKey.getAlgorithm().equals(algorithm)) {
            throw mismatch(loaded, "an " + algorithm + " key for an " + certKey.getAlgorithm() + " certificate");
        }
        try {
            Signature signer = Signature.getInstance(signature);
            signer.initSign(loaded.key());
            signer.update(CHALLENGE);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(signature);
            verifier.initVerify(certKey);
            verifier.update(CHALLENGE);
            if (!verifier.verify(signed)) {
                throw mismatch(loaded, "another key pair");
            }
        } catch (GeneralSecurityException e) {
            throw mismatch(loaded, e.getMessage());
        }
    }

    private static KeyMaterialException mismatch(CertifiedKey loaded, String why) {
        return new KeyMaterialException(loaded.source() + ": the private key does not match the certificate ("
                + why + ")");
    }
}
