/**
 * Charging (TS 22.228 §11.2; the gateway is the charging trigger function of its P-CSCF role, TS 32.260): offline
 * charging over Rf (TS 32.299, RFC 6733 accounting) with every record kept in the database until the CDF acknowledged
 * it. Which record is due when ({@link org.webims.gateway.ejb.charging.OfflineCharging}) and the delivery loop
 * ({@link org.webims.gateway.ejb.charging.RfOutbox}) are plain Java behind small ports; Diameter and JPA stay in the
 * adapters ({@link org.webims.gateway.ejb.charging.rf}, {@link org.webims.gateway.ejb.charging.ChargingRecords}).
 */
package org.webims.gateway.ejb.charging;
