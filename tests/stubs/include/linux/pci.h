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
struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	struct device_driver driver;
};
int pci_register_driver(struct pci_driver *drv);
void pci_unregister_driver(struct pci_driver *drv);
#define module_pci_driver(__pci_driver) \
	module_driver(__pci_driver, pci_register_driver, pci_unregister_driver)
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
