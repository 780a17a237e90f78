import type { ServiceDefinition } from '@mgov/http-edge';
import { MonitoringService } from './application/monitoring-service';
import { MonitoringHttpModule } from './http/monitoring-http.module';

export const monitoringDefinition: ServiceDefinition = {
  name: 'monitoring',
  create(runtime, settings) {
    const monitoring = new MonitoringService(runtime, { windowSize: settings.monitoringWindowSize });
    return { module: monitoring.module, http: MonitoringHttpModule.register(monitoring) };
  },
};
