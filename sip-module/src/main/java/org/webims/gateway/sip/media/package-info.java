/**
 * Control of the eIMS-AGW (TS 23.228 Annex U, the media plane of WebRTC IMS client access), here rtpengine, driven
 * over its ng control protocol.
 *
 * <p>{@link org.webims.gateway.sip.media.MediaGateway} is the protocol-neutral port the B2BUA calls: offer, answer
 * and delete per media session ({@link org.webims.gateway.sip.media.MediaLegs}), each SDP rewritten for the
 * {@link org.webims.gateway.sip.media.Side} it is sent toward. Every operation returns a future and never blocks
 * the caller. {@link org.webims.gateway.sip.media.RtpengineMediaGateway} implements it over one shared
 * {@link org.webims.gateway.sip.media.NgClient} (UDP, bencode, cookies, retransmission) and holds the rtpengine flag
 * sets measured on the test bed. Nothing here imports JAIN-SIP.
 */
package org.webims.gateway.sip.media;
