/* Stub of <linux/pci.h>. */
#ifndef _STUB_LINUX_PCI_H
#define _STUB_LINUX_PCI_H
#include <linux/device.h>
struct pci_dev {
	unsigned short vendor;
	unsigned short device;
	struct device dev;
	int irq;
};
struct pci_device_id {
	u32 vendor, device;
	unsigned long driver_data;
};
int pcim_enable_device(struct pci_dev *pdev);
void __iomem *pcim_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen);
static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}
static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}
#endif
