package io.has.api.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds {@link SSLContext}s from Patroni-style PEM settings: the REST server's
 * ({@code restapi.certfile/keyfile/keyfile_password/cafile}) and a client's ({@code ctl.*}, falling back
 * to {@code restapi.*}).
 */
public final class TlsContexts {

    private static final char[] STORE_PASSWORD = "has".toCharArray();

    private TlsContexts() {
    }

    /**
     * @param certfile        PEM certificate (chain); the key may be in the same file
     * @param keyfile         PEM private key, or null when it is in {@code certfile}
     * @param keyfilePassword password of an encrypted key, or null
     * @param cafile          PEM CA certificates to trust (peers or clients), or null for the JDK default
     * @param insecure        trust every certificate (client side only: {@code ctl.insecure}, {@code -k})
     * @throws IOException naming the file that cannot be used
     */
    public static SSLContext create(Path certfile, Path keyfile, String keyfilePassword, Path cafile, boolean insecure)
            throws IOException {
        try {
            KeyManager[] keys = null;
            if (certfile != null) {
                List<X509Certificate> chain = PemFiles.certificates(certfile);
                PrivateKey key = PemFiles.privateKey(keyfile != null ? keyfile : certfile,
                        keyfilePassword == null ? null : keyfilePassword.toCharArray());
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("has", key, STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, STORE_PASSWORD);
                keys = kmf.getKeyManagers();
            }
            TrustManager[] trust = null;
            if (insecure) {
                trust = new TrustManager[] {new TrustAll()};
            } else if (cafile != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate c : PemFiles.certificates(cafile)) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                trust = tmf.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a TLS context from " + certfile + ": " + e.getMessage(), e);
        }
    }

    /** Accepts any certificate: only for {@code ctl.insecure}. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
