import type { ServerResponse } from 'node:http';
import type { ExportSink } from '../application/audit-export';

/** An export written straight into the HTTP response, waiting for `drain` when the client reads slowly. */
export function responseSink(response: ServerResponse): ExportSink {
  return {
    begin(contentType, filename) {
      response.statusCode = 200;
      response.setHeader('content-type', contentType);
      response.setHeader('content-disposition', `attachment; filename="${filename}"`);
      response.setHeader('x-content-type-options', 'nosniff');
    },
    write(chunk) {
      return new Promise<void>((resolve, reject) => {
        if (response.destroyed) return reject(new Error('the client closed the connection during the export'));
        if (response.write(chunk)) return resolve();
        const settle = (error?: Error) => {
          response.off('drain', drained);
          response.off('close', closed);
          if (error) reject(error);
          else resolve();
        };
        const drained = () => settle();
        const closed = () => settle(new Error('the client closed the connection during the export'));
        response.on('drain', drained);
        response.on('close', closed);
      });
    },
    end() {
      response.end();
    },
  };
}
