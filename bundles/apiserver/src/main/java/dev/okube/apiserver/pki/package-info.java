/**
 * The cluster's PKI, as kubeadm lays it out: at first boot a cluster CA ({@code pki/ca.crt}, {@code ca.key}),
 * the apiserver's serving certificate ({@code apiserver.crt}, {@code apiserver.key}) and the admin client
 * certificate ({@code admin.crt}, {@code admin.key}; {@code CN=kubernetes-admin, O=system:masters}) that the
 * admin kubeconfig embeds. Later boots reuse them and renew only a leaf that no longer fits (a serving
 * certificate whose SANs miss a configured address, or any leaf within 30 days of expiry).
 *
 * <p>Keys are EC P-256: generating one takes about a millisecond where RSA 2048 takes tens to hundreds, which
 * matters on first boot, and kubectl (Go), curl, the JDK and the fabric8 client accept them. Private keys
 * are SEC 1 PEM ("EC PRIVATE KEY", as kubeadm and openssl write them), written atomically with mode 0600.
 * The service-account signing key ({@code sa.key}, {@code sa.pub}) lives in
 * the same directory but belongs to the service-account bundle; nothing here reads or writes it.
 */
package dev.okube.apiserver.pki;
