/* Stub of <scsi/scsi_host.h>. */
#ifndef _STUB_SCSI_SCSI_HOST_H
#define _STUB_SCSI_SCSI_HOST_H
#include <linux/device.h>
struct scsi_host_template {
	const char *name;
};
struct Scsi_Host {
	unsigned int max_id;
	unsigned long hostdata[];
};
struct Scsi_Host *scsi_host_alloc(struct scsi_host_template *sht, int privsize);
void scsi_host_put(struct Scsi_Host *shost);
int scsi_add_host(struct Scsi_Host *host, struct device *dev);
#endif
