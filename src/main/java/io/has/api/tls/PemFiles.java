package io.has.api.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files with the JDK only: X.509 certificates, PKCS#8 private keys (plain or encrypted with
 * a password, as {@code openssl genpkey}/{@code pkcs8 -topk8} write them) and PKCS#1 RSA keys
 * ({@code BEGIN RSA PRIVATE KEY}, as older {@code openssl genrsa} writes them). Error messages name the
 * file but never the password.
 */
public final class PemFiles {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*?)-----END \\1-----", Pattern.DOTALL);
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "DSA"};

    private PemFiles() {
    }

    /** A decoded PEM block: its label and DER bytes, plus any {@code Key: value} headers. */
    record Block(String label, byte[] der, boolean legacyEncrypted) {
    }

    static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type:");
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\\R")) {
                if (!line.contains(":")) {
                    b64.append(line.trim());
                }
            }
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(b64.toString()), encrypted));
        }
        return out;
    }

    /**
     * All certificates in the file, in order (leaf first for a chain).
     *
     * @throws IOException naming the file when it cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label().equals("CERTIFICATE") || b.label().equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": invalid certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IOException(file + ": no PEM certificate found");
        }
        return certs;
    }

    /**
     * The private key in the file.
     *
     * @param password for {@code ENCRYPTED PRIVATE KEY}; null when the key is not encrypted
     * @throws IOException naming the file when there is no usable key or the password is wrong
     */
    public static PrivateKey privateKey(Path file, char[] password) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der());
                case "RSA PRIVATE KEY":
                    if (b.legacyEncrypted()) {
                        throw new IOException(file + ": legacy encrypted PKCS#1 keys are not supported;"
                                + " convert with: openssl pkcs8 -topk8 -in KEY -out KEY.p8");
                    }
                    return pkcs8(file, wrapPkcs1Rsa(b.der()));
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new IOException(file + ": the key is encrypted; set keyfile_password");
                    }
                    return pkcs8(file, decrypt(file, b.der(), password));
                case "EC PRIVATE KEY":
                    throw new IOException(file + ": SEC1 EC keys are not supported;"
                            + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8");
                default:
                    break;
            }
        }
        throw new IOException(file + ": no PEM private key found");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unsupported private key algorithm");
    }

    private static byte[] decrypt(Path file, byte[] der, char[] password) throws IOException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters params = info.getAlgParameters();
            // PBES2 reports the concrete scheme (e.g. PBEWithHmacSHA256AndAES_256) only through toString()
            String alg = params != null && params.toString().startsWith("PBEWith") ? params.toString() : info.getAlgName();
            SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
            Cipher c = Cipher.getInstance(alg);
            c.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(password)), params);
            return info.getKeySpec(c).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException(file + ": cannot decrypt the private key (wrong keyfile_password or an"
                    + " unsupported encryption)", null);
        }
    }

    /** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL params). */
    static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] content = new byte[version.length + algId.length + octet.length];
        System.arraycopy(version, 0, content, 0, version.length);
        System.arraycopy(algId, 0, content, version.length, algId.length);
        System.arraycopy(octet, 0, content, version.length + algId.length, octet.length);
        return der(0x30, content);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }
}
