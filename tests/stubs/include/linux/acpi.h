/* Stub of <linux/acpi.h>: ACPICA status codes (AE_OK is 0). */
#ifndef _STUB_LINUX_ACPI_H
#define _STUB_LINUX_ACPI_H
#include <linux/types.h>
typedef u32 acpi_status;
#define AE_OK		((acpi_status)0x0000)
#define AE_NO_MEMORY	((acpi_status)0x0004)
#define AE_NOT_FOUND	((acpi_status)0x0005)
#define ACPI_SUCCESS(a)	(!(a))
#define ACPI_FAILURE(a)	(a)
#endif
