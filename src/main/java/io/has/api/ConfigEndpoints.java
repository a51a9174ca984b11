package io.has.api;

import io.has.api.Management.Call;
import io.has.cluster.Cluster;
import io.has.dcs.DcsException;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PATCH /config} and {@code PUT /config} (reference/patroni.md §3.5): PATCH re-reads the DCS, merges
 * with Patroni's rules ({@link ConfigPatch}) and writes with compare-and-set (409 when another writer won);
 * PUT replaces the whole object. Both wake the loop and answer 200 with the resulting config.
 */
final class ConfigEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigEndpoints.class);

    void patch(Call c) throws DcsException {
        RequestBody body = c.body(false);
        Cluster cluster = c.control().dcs().read();
        if (cluster.config() == null) {
            throw HttpError.page(503);
        }
        Map<String, Object> data = new java.util.LinkedHashMap<>(cluster.config().value());
        if (ConfigPatch.apply(data, body.map())) {
            if (!c.control().dcs().setConfig(data, cluster.config().version())) {
                throw HttpError.page(409);
            }
            LOG.info("[{}] dynamic configuration changed through PATCH /config (keys {})", c.member(),
                    body.view().keySet());
        }
        c.control().wakeup();
        c.json(200, data);
    }

    void put(Call c) throws DcsException {
        RequestBody body = c.body(false);
        Map<String, Object> request = body.map();
        Cluster cluster = c.control().dcs().read();
        if (cluster.config() == null || !Objects.equals(cluster.config().value(), request)) {
            int version = cluster.config() == null ? -1 : cluster.config().version();
            boolean written;
            try {
                written = c.control().dcs().setConfig(request, version);
            } catch (DcsException e) {
                written = false;
            }
            if (!written) {
                throw HttpError.page(502);
            }
            LOG.info("[{}] dynamic configuration replaced through PUT /config", c.member());
        }
        c.control().wakeup();
        c.json(200, request);
    }
}
