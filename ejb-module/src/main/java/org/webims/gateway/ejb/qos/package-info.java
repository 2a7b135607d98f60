/**
 * QoS over Rx (TS 29.214; TS 22.228 §11.2): the gateway as the AF toward the PCRF for the WebRTC leg of calls of
 * clients on an access network with QoS. {@link org.webims.gateway.ejb.qos.PolicyAuthorization} is the plain-Java
 * session logic, {@link org.webims.gateway.ejb.qos.RxMessages} the messages, {@link org.webims.gateway.ejb.qos.QosService}
 * the bean that owns the Diameter peers.
 */
package org.webims.gateway.ejb.qos;
