/**
 * The B2BUA between a WebRTC leg (over the client's WebSocket flow) and an IMS leg (toward the core):
 * JAIN-SIP dialogs and transactions on each leg, offers and answers through the media gateway in between.
 */
package org.webims.gateway.sip.b2bua;
