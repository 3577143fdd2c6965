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
typedef void *acpi_handle;
struct acpi_device {
	acpi_handle handle;
	void *driver_data;
};
#define acpi_driver_data(d)	((d)->driver_data)
struct acpi_device_ops {
	int (*add)(struct acpi_device *device);
	void (*remove)(struct acpi_device *device);
};
struct acpi_driver {
	const char *name;
	struct acpi_device_ops ops;
};
typedef u32 acpi_object_type;
#define ACPI_TYPE_PACKAGE	0x04
typedef struct { u8 b[16]; } guid_t;
union acpi_object {
	acpi_object_type type;
	struct {
		acpi_object_type type;
		u32 count;
		union acpi_object *elements;
	} package;
};
union acpi_object *acpi_evaluate_dsm_typed(acpi_handle handle, const guid_t *guid,
					   u64 rev, u64 func, union acpi_object *argv4,
					   acpi_object_type type);
void ACPI_FREE(void *a);
typedef char *acpi_string;
#define ACPI_ALLOCATE_BUFFER	((u32)-1)
#define ACPI_TYPE_BUFFER	0x03
struct acpi_buffer {
	u32 length;
	void *pointer;
};
struct acpi_object_list;
acpi_status wmi_query_block(const char *guid, u8 instance, struct acpi_buffer *out);
acpi_status acpi_evaluate_object(acpi_handle handle, acpi_string pathname,
				 struct acpi_object_list *params, struct acpi_buffer *out);
struct acpi_pld_info {
	u8 panel;
	u8 vertical_position;
};
acpi_status acpi_get_physical_device_location(acpi_handle handle, struct acpi_pld_info **pld);
#endif
